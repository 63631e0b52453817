//! The WASM heap: std's own allocator (dlmalloc), with its memory taken from the browser in
//! steps that grow with the heap.
//!
//! std's dlmalloc grows the WASM memory by as little as 64 KB at a time: a large entity's
//! analysis grew it about 1,500 times. Chromium's main thread now and then slept on a lock for
//! 60-200 ms inside such a task (the thread's kernel state, sampled while the page loaded), and
//! taking the memory in a few large steps made those tasks rarer (README, "Long tasks").

/// A WASM memory page.
pub const PAGE: usize = 64 * 1024;

/// Pages to grow a memory of `have` pages by when `want` more are needed: at least an eighth
/// of what it has (so a heap of n pages is grown O(log n) times), at least 16 pages (1 MB).
pub fn step_pages(have: usize, want: usize) -> usize {
    want.max(have / 8).max(16)
}

#[cfg(target_arch = "wasm32")]
mod global {
    use super::{step_pages, PAGE};
    use core::alloc::{GlobalAlloc, Layout};
    use core::arch::wasm32;
    use core::cell::UnsafeCell;
    use core::ptr::null_mut;

    /// dlmalloc's source of memory: `memory.grow`, never given back (WASM cannot shrink).
    struct Steps;

    // SAFETY: `alloc` hands out memory that was just added to the WASM memory and is used by
    // nothing else; nothing is ever freed or remapped (all of those answer "cannot").
    unsafe impl dlmalloc::Allocator for Steps {
        fn alloc(&self, size: usize) -> (*mut u8, usize, u32) {
            let want = size.div_ceil(PAGE);
            let step = step_pages(wasm32::memory_size(0), want);
            // A large step may exceed what the browser allows where the bare need does not.
            for pages in [step, want] {
                let prev = wasm32::memory_grow(0, pages);
                if prev == usize::MAX {
                    continue;
                }
                let (Some(base), Some(len)) = (prev.checked_mul(PAGE), pages.checked_mul(PAGE))
                else {
                    return (null_mut(), 0, 0);
                };
                // The last bytes of a 4 GB address space: a pointer one past them would wrap
                // to 0, so they are left out (as std's own allocator does).
                let len = if base.checked_add(len).is_none() {
                    len.saturating_sub(16)
                } else {
                    len
                };
                return (base as *mut u8, len, 0);
            }
            (null_mut(), 0, 0)
        }

        fn remap(&self, _: *mut u8, _: usize, _: usize, _: bool) -> *mut u8 {
            null_mut()
        }

        fn free_part(&self, _: *mut u8, _: usize, _: usize) -> bool {
            false
        }

        fn free(&self, _: *mut u8, _: usize) -> bool {
            false
        }

        fn can_release_part(&self, _: u32) -> bool {
            false
        }

        fn allocates_zeros(&self) -> bool {
            true
        }

        fn page_size(&self) -> usize {
            PAGE
        }
    }

    struct Heap(UnsafeCell<dlmalloc::Dlmalloc<Steps>>);

    // SAFETY: wasm32-unknown-unknown without the atomics feature runs a single thread, so the
    // heap is never entered twice at once.
    unsafe impl Sync for Heap {}

    #[global_allocator]
    static HEAP: Heap = Heap(UnsafeCell::new(dlmalloc::Dlmalloc::new_with_allocator(
        Steps,
    )));

    // SAFETY: each call forwards to dlmalloc with the layout's size and alignment, as std's
    // own wrapper of it does.
    unsafe impl GlobalAlloc for Heap {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            unsafe { (*self.0.get()).malloc(layout.size(), layout.align()) }
        }

        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            unsafe { (*self.0.get()).calloc(layout.size(), layout.align()) }
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            unsafe { (*self.0.get()).free(ptr, layout.size(), layout.align()) }
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            unsafe { (*self.0.get()).realloc(ptr, layout.size(), layout.align(), new_size) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_cover_the_need_and_grow_with_the_heap() {
        assert_eq!(step_pages(0, 1), 16, "at least 1 MB");
        assert_eq!(step_pages(8_000, 1), 1_000, "an eighth of the heap");
        assert_eq!(step_pages(8_000, 5_000), 5_000, "never less than asked");
        // From 1 MB to 2 GB in steps of an eighth: a few dozen grows, not 32,768.
        let (mut have, mut grows) = (16, 0);
        while have < 32_768 {
            have += step_pages(have, 1);
            grows += 1;
        }
        assert!(grows < 70, "{grows} grows");
    }
}
