//! Sequential consistency, axiomatically: some interleaving of all events, respecting program
//! order, in which every read reads the latest write to its location (Lamport). Equivalently
//! `po ∪ rf ∪ mo ∪ fr` is acyclic; with RMWs as two events, atomicity must be required as well
//! (nothing may come between an RMW's read and its write), which an interleaving of single-step
//! RMWs gives for free. Orderings and fences play no part.

use super::execution::Execution;

/// Is `x` sequentially consistent?
pub fn consistent(x: &Execution) -> bool {
    let fr = x.fr();
    x.atomic() && x.po.union(&x.rf).union(&x.mo).union(&fr).acyclic()
}
