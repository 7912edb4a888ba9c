//! RC11, the repaired C/C++11 model of Lahav, Vafeiadis, Kang, Hur and Dreyer ("Repairing
//! Sequential Consistency in C/C++11", PLDI 2017, section 3), with C++20's release sequences. The
//! release/acquire model RA is this same check on a program whose accesses were made
//! release/acquire first ([`super::program::Litmus::as_release_acquire`]).
//!
//! Every definition below is the paper's, one per line, in its notation:
//! - `rs  = [W]; (rf; rmw)*` — C++20 (P0982) dropped the paper's `po|loc?; [W⊒rlx]` part: a
//!   release sequence is no longer continued by later stores of the releasing thread, only by
//!   RMWs (every access here is atomic, so `[W⊒rlx]` would hold anyway);
//! - `sw  = [E⊒rel]; ([F]; po)?; rs; rf; [R⊒rlx]; (po; [F])?; [E⊒acq]`;
//! - `hb  = (po ∪ sw)⁺`, `eco = (rf ∪ mo ∪ fr)⁺`;
//! - `scb = po ∪ po|≠loc; hb; po|≠loc ∪ hb|loc ∪ mo ∪ fr`;
//! - `psc_base = ([E^sc] ∪ [F^sc]; hb?); scb; ([E^sc] ∪ hb?; [F^sc])`;
//! - `psc_F = [F^sc]; (hb ∪ hb; eco; hb); [F^sc]`, `psc = psc_base ∪ psc_F`;
//!
//! and an execution is consistent when (coherence) `hb; eco?` is irreflexive, (atomicity)
//! `rmw ∩ (fr; mo) = ∅`, (SC) `psc` is acyclic and (no-thin-air) `po ∪ rf` is acyclic.
//!
//! `R|loc` relates events with the same location; `R|≠loc` is the rest of `R`, so a pair with a
//! fence (which has no location) counts as "different locations" (as in herd's `rc11.cat`, where
//! `po|≠loc` is `sb \ loc`). Initial writes are non-atomic and program-ordered before every event.

use super::execution::{Execution, Kind};
use super::rel::Rel;

/// Is `x` RC11-consistent?
pub fn consistent(x: &Execution) -> bool {
    let n = x.len();
    let all = x.all();
    let (writes, fences) = (x.writes(), x.fences());
    let rel = x.set(|e| e.mode.at_least_rel());
    let acq = x.set(|e| e.mode.at_least_acq());
    let rlx_reads = x.set(|e| e.kind == Kind::Read && e.mode.at_least_rlx());
    let sc = x.set(|e| e.mode.is_sc());
    let sc_fences = sc & fences;
    let (po, rf, mo) = (&x.po, &x.rf, &x.mo);
    let fr = x.fr();

    // Release sequences and synchronisation.
    let rs = Rel::id(n, writes).seq(&rf.seq(&x.rmw).star());
    let sw = Rel::id(n, rel)
        .seq(&po.restrict(fences, all).opt())
        .seq(&rs)
        .seq(&rf.restrict(all, rlx_reads))
        .seq(&po.restrict(all, fences).opt())
        .restrict(all, acq);
    let hb = po.union(&sw).plus();
    let eco = rf.union(mo).union(&fr).plus();

    // Coherence: `hb; eco?` irreflexive.
    if !hb.seq(&eco.opt()).irreflexive() {
        return false;
    }
    // Atomicity: `rmw ∩ (fr; mo) = ∅`.
    if !x.atomic() {
        return false;
    }
    // No-thin-air: `po ∪ rf` acyclic.
    if !po.union(rf).acyclic() {
        return false;
    }
    // SC: `psc` acyclic.
    let same_loc = x.same_loc();
    let po_other_loc = po.minus(&same_loc);
    let scb = po
        .union(&po_other_loc.seq(&hb).seq(&po_other_loc))
        .union(&hb.inter(&same_loc))
        .union(mo)
        .union(&fr);
    let hb_opt = hb.opt();
    let before = Rel::id(n, sc).union(&hb_opt.restrict(sc_fences, all));
    let after = Rel::id(n, sc).union(&hb_opt.restrict(all, sc_fences));
    let psc_base = before.seq(&scb).seq(&after);
    let psc_f = hb
        .union(&hb.seq(&eco).seq(&hb))
        .restrict(sc_fences, sc_fences);
    psc_base.union(&psc_f).acyclic()
}
