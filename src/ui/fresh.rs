//! `Fresh`: a view that is built anew instead of diffed against the previous one.
//!
//! Wrapped in an `AnyView`, every view type brings its own `rebuild` (a second copy of all its
//! elements' code, for patching in place) and `into_owned` (a third) even when it is only ever
//! replaced wholesale, as a panel's content is when new data arrives. `Fresh` makes `rebuild`
//! a `build` and a swap, and `into_owned` nothing (its views own their data already), so those
//! copies are never compiled (about 10 KB brotli for the panels and status rows).
//! Not for content inside a live region: a replaced region may not be announced.

use leptos::tachys::html::attribute::any_attribute::AnyAttribute;
use leptos::tachys::html::attribute::Attribute;
use leptos::tachys::hydration::Cursor;
use leptos::tachys::view::add_attr::AddAnyAttr;
use leptos::tachys::view::{Mountable, Position, PositionState, Render, RenderHtml};

pub struct Fresh<T>(pub T);

impl<T: Render> Render for Fresh<T> {
    type State = T::State;

    fn build(self) -> Self::State {
        self.0.build()
    }

    fn rebuild(self, state: &mut Self::State) {
        let mut new = self.0.build();
        state.insert_before_this(&mut new);
        state.unmount();
        *state = new;
    }
}

// Spreading attributes onto it (never done here) gives the plain view back.
impl<T: AddAnyAttr> AddAnyAttr for Fresh<T> {
    type Output<A: Attribute> = T::Output<A>;

    fn add_any_attr<A: Attribute>(self, attr: A) -> Self::Output<A>
    where
        Self::Output<A>: RenderHtml,
    {
        self.0.add_any_attr(attr)
    }
}

// Server rendering and hydration are never used (client-side rendering only); they delegate.
// The views wrapped own their data already, so `into_owned` need not rebuild them (which would
// compile one more copy of each view's code).
impl<T: RenderHtml + 'static> RenderHtml for Fresh<T> {
    type AsyncOutput = Fresh<T::AsyncOutput>;
    type Owned = Self;

    const MIN_LENGTH: usize = T::MIN_LENGTH;

    fn dry_resolve(&mut self) {
        self.0.dry_resolve()
    }

    async fn resolve(self) -> Self::AsyncOutput {
        Fresh(self.0.resolve().await)
    }

    fn to_html_with_buf(
        self,
        buf: &mut String,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) {
        self.0
            .to_html_with_buf(buf, position, escape, mark_branches, extra_attrs)
    }

    fn hydrate<const FROM_SERVER: bool>(
        self,
        cursor: &Cursor,
        position: &PositionState,
    ) -> Self::State {
        self.0.hydrate::<FROM_SERVER>(cursor, position)
    }

    fn into_owned(self) -> Self::Owned {
        self
    }
}
