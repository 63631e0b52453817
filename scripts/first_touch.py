#!/usr/bin/env python3
"""Benchmark aid (not a test): what a first touch of fresh memory costs on this machine now.

This virtual machine hands its free memory back to the host (the kernel's free page
reporting, `page_reporting.page_reporting_order` on its command line), so a page the guest
has not used lately is faulted in on the host too. The cost swings over minutes (0.4-0.6 ms
per MB, 2-5 ms per MB at times), and with it everything the page's main thread does that is
not paced: a garbage collection, a style recalculation, a stretch between looks at the clock.
Prints `first_touch_ms_per_mb=X` for 64 MB (the loop's own cost, measured on the same pages
touched again, taken off). Usage: python3 scripts/first_touch.py [MB]
"""
import mmap
import sys
import time

PAGE = mmap.PAGESIZE


def touch(buf, size):
    start = time.perf_counter()
    for at in range(0, size, PAGE):
        buf[at] = 1
    return time.perf_counter() - start


def main():
    mb = int(sys.argv[1]) if len(sys.argv) > 1 else 64
    size = mb << 20
    buf = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    first = touch(buf, size)
    again = touch(buf, size)
    buf.close()
    print(f"first_touch_ms_per_mb={(first - again) * 1000 / mb:.2f}")


if __name__ == "__main__":
    main()
