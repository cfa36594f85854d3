//! Each thread's reusable query buffers: the pricing slots and the search's labels, bags and
//! heap. A query takes them, empties what the last one left (only that: the cost follows the
//! query, not the network) and gives them back, so answering allocates nothing in proportion
//! to the network once a thread has answered its first query.

use std::cell::RefCell;

use super::pricing::PricingSlots;
use super::search::SearchBuffers;

#[derive(Default)]
pub(super) struct Workspace {
    pub pricing: PricingSlots,
    pub search: SearchBuffers,
}

thread_local! {
    static WORKSPACE: RefCell<Workspace> = RefCell::new(Workspace::default());
}

/// Runs `f` with this thread's workspace, its pricing slots prepared for `services`
/// services; a nested call (a query asked while one is being answered, as the "why no route"
/// explanation does) gets a fresh workspace of its own.
pub(super) fn with<R>(services: usize, f: impl FnOnce(&mut Workspace) -> R) -> R {
    WORKSPACE.with(|cell| match cell.try_borrow_mut() {
        Ok(mut ws) => {
            ws.pricing.prepare(services);
            f(&mut ws)
        }
        Err(_) => {
            let mut ws = Workspace::default();
            ws.pricing.prepare(services);
            f(&mut ws)
        }
    })
}
