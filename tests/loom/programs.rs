//! The loom side of the weft-vs-loom comparison: each program of `super::CASES` written with loom's
//! mocked `std::sync` / `std::thread`, step for step the same as its `.weft` model.
//!
//! Each function is one loom model body: it runs once per explored execution. Threads the `.weft`
//! model declares are spawned here and joined, then the model's `final` block becomes assertions
//! after the joins. A `static mut` protected by the algorithm under test becomes an `AtomicUsize`
//! accessed with separate Relaxed loads and stores (the workspace forbids `unsafe`, which
//! `loom::cell::UnsafeCell` needs): a broken protocol then shows as a lost update or a stale read
//! rather than as loom's causality error, and Relaxed orders nothing, so the protocol's own
//! orderings are what keep the counter right. Spin loops call `loom::hint::spin_loop()`, which loom
//! treats as "this thread waits for another", as weft treats `spin_loop()`.
//!
//! Shared state is held in `std::sync::Arc`, not `loom::sync::Arc`: when loom finds a deadlock it
//! panics from inside a blocked thread, and dropping a loom `Arc` while that panic unwinds asks
//! loom's scheduler for a thread that no longer exists, a panic during a panic, which aborts the
//! whole test process instead of reporting the deadlock (loom's own deadlock tests use `Rc` for the
//! same reason). loom's `Arc` adds leak and reference-count checks, which no program here is about.

use loom::hint::spin_loop;
use loom::sync::atomic::Ordering::{AcqRel, Acquire, Relaxed, Release, SeqCst};
use loom::sync::atomic::{fence, AtomicBool, AtomicUsize};
use loom::sync::{mpsc, Condvar, Mutex};
use loom::thread;
use std::sync::Arc;

/// Spawn `n` threads running `body(tid)` and join them all.
fn spawn_join<S: Send + Sync + 'static>(n: usize, shared: &Arc<S>, body: fn(&S, usize)) {
    let handles: Vec<_> = (0..n)
        .map(|tid| {
            let shared = Arc::clone(shared);
            thread::spawn(move || body(&shared, tid))
        })
        .collect();
    for handle in handles {
        // A panic in a loom thread ends the whole execution before this join returns.
        handle
            .join()
            .expect("loom propagates a thread's panic itself");
    }
}

/// A plain counter that only the protocol under test protects: load, then store, both Relaxed.
fn bump(counter: &AtomicUsize) {
    let v = counter.load(Relaxed);
    counter.store(v + 1, Relaxed);
}

// ---- lost update: models/basics/lost_update_atomic.weft, models/versus/lost_update_atomic_3.weft

fn lost_update(n: usize) {
    let count = Arc::new(AtomicUsize::new(0));
    spawn_join(n, &count, |count, _| {
        let v = count.load(SeqCst);
        count.store(v + 1, SeqCst);
    });
    assert_eq!(count.load(SeqCst), n, "an increment was lost");
}

pub fn lost_update_2() {
    lost_update(2);
}

pub fn lost_update_3() {
    lost_update(3);
}

// ---- atomic counter: models/versus/counter_{3x2,3x3,4x2}.weft

fn counter(threads: usize, rounds: usize) {
    let count = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let count = Arc::clone(&count);
            thread::spawn(move || {
                for _ in 0..rounds {
                    count.fetch_add(1, Relaxed);
                }
            })
        })
        .collect();
    for handle in handles {
        handle
            .join()
            .expect("loom propagates a thread's panic itself");
    }
    assert_eq!(count.load(SeqCst), threads * rounds);
}

pub fn counter_3x2() {
    counter(3, 2);
}

pub fn counter_3x3() {
    counter(3, 3);
}

pub fn counter_4x2() {
    counter(4, 2);
}

// ---- Peterson: models/locks/peterson.weft (SeqCst), models/versus/peterson_swap_fence.weft,
// tests/loom/weft/peterson_release_fence.weft

struct Peterson {
    flag: [AtomicBool; 2],
    turn: AtomicUsize,
    in_cs: AtomicUsize,
    count: AtomicUsize,
}

impl Peterson {
    fn new() -> Peterson {
        Peterson {
            flag: [AtomicBool::new(false), AtomicBool::new(false)],
            turn: AtomicUsize::new(0),
            in_cs: AtomicUsize::new(0),
            count: AtomicUsize::new(0),
        }
    }

    fn critical_section(&self) {
        let inside = self.in_cs.fetch_add(1, SeqCst);
        assert_eq!(inside, 0, "both threads are in the critical section");
        bump(&self.count);
        self.in_cs.fetch_sub(1, SeqCst);
    }
}

pub fn peterson_seqcst() {
    let p = Arc::new(Peterson::new());
    spawn_join(2, &p, |p, me| {
        let other = 1 - me;
        p.flag[me].store(true, SeqCst);
        p.turn.store(other, SeqCst);
        while p.flag[other].load(SeqCst) && p.turn.load(SeqCst) == other {
            spin_loop();
        }
        p.critical_section();
        p.flag[me].store(false, SeqCst);
    });
    assert_eq!(p.count.load(SeqCst), 2);
}

/// Release stores, a SeqCst fence, Acquire loads: correct under sequential consistency only.
pub fn peterson_release_fence() {
    let p = Arc::new(Peterson::new());
    spawn_join(2, &p, |p, me| {
        let other = 1 - me;
        p.flag[me].store(true, Release);
        p.turn.store(other, Release);
        fence(SeqCst);
        while p.flag[other].load(Acquire) && p.turn.load(Acquire) == other {
            spin_loop();
        }
        p.critical_section();
        p.flag[me].store(false, Release);
    });
    assert_eq!(p.count.load(SeqCst), 2);
}

/// The turn handed over with an AcqRel swap before the fence: correct in Rust's memory model.
pub fn peterson_swap_fence() {
    let p = Arc::new(Peterson::new());
    spawn_join(2, &p, |p, me| {
        let other = 1 - me;
        p.flag[me].store(true, Release);
        p.turn.swap(other, AcqRel);
        fence(SeqCst);
        while p.flag[other].load(Acquire) && p.turn.load(Acquire) == other {
            spin_loop();
        }
        p.critical_section();
        p.flag[me].store(false, Release);
    });
    assert_eq!(p.count.load(SeqCst), 2);
}

// ---- CAS spinlock: models/versus/cas_spinlock_2.weft, models/locks/cas_spinlock.weft

struct SpinLock {
    locked: AtomicBool,
    count: AtomicUsize,
}

fn cas_spinlock(n: usize) {
    let lock = Arc::new(SpinLock {
        locked: AtomicBool::new(false),
        count: AtomicUsize::new(0),
    });
    spawn_join(n, &lock, |lock, _| {
        while lock
            .locked
            .compare_exchange(false, true, Acquire, Relaxed)
            .is_err()
        {
            spin_loop();
        }
        bump(&lock.count);
        lock.locked.store(false, Release);
    });
    assert_eq!(lock.count.load(SeqCst), n);
}

pub fn cas_spinlock_2() {
    cas_spinlock(2);
}

pub fn cas_spinlock_3() {
    cas_spinlock(3);
}

// ---- ticket lock: models/locks/ticket_lock.weft

struct TicketLock {
    next: AtomicUsize,
    serving: AtomicUsize,
    count: AtomicUsize,
}

pub fn ticket_lock_3() {
    let lock = Arc::new(TicketLock {
        next: AtomicUsize::new(0),
        serving: AtomicUsize::new(0),
        count: AtomicUsize::new(0),
    });
    spawn_join(3, &lock, |lock, _| {
        let my = lock.next.fetch_add(1, Relaxed);
        while lock.serving.load(Acquire) != my {
            spin_loop();
        }
        bump(&lock.count);
        lock.serving.store(my + 1, Release);
    });
    assert_eq!(lock.count.load(SeqCst), 3);
    assert_eq!(lock.serving.load(SeqCst), 3);
}

// ---- dining philosophers: models/classic/philosophers_deadlock.weft

struct Table {
    forks: [Mutex<()>; 3],
    meals: AtomicUsize,
}

pub fn philosophers_3() {
    let table = Arc::new(Table {
        forks: [Mutex::new(()), Mutex::new(()), Mutex::new(())],
        meals: AtomicUsize::new(0),
    });
    spawn_join(3, &table, |table, tid| {
        let _left = table.forks[tid]
            .lock()
            .expect("no thread panics holding a fork");
        let _right = table.forks[(tid + 1) % 3]
            .lock()
            .expect("no thread panics holding a fork");
        table.meals.fetch_add(1, Relaxed);
    });
    assert_eq!(table.meals.load(SeqCst), 3);
}

// ---- condition variables: models/condvar/handshake.weft, models/condvar/lost_wakeup.weft

struct Handshake {
    state: Mutex<(bool, usize)>,
    cv: Condvar,
}

pub fn condvar_handshake() {
    let h = Arc::new(Handshake {
        state: Mutex::new((false, 0)),
        cv: Condvar::new(),
    });
    let setter = {
        let h = Arc::clone(&h);
        thread::spawn(move || {
            {
                let mut g = h.state.lock().expect("no thread panics holding the lock");
                g.1 = 42;
                g.0 = true;
            }
            h.cv.notify_one();
        })
    };
    let waiter = {
        let h = Arc::clone(&h);
        thread::spawn(move || {
            let mut g = h.state.lock().expect("no thread panics holding the lock");
            while !g.0 {
                g = h.cv.wait(g).expect("no thread panics holding the lock");
            }
            assert_eq!(g.1, 42);
        })
    };
    setter
        .join()
        .expect("loom propagates a thread's panic itself");
    waiter
        .join()
        .expect("loom propagates a thread's panic itself");
}

struct Wakeup {
    m: Mutex<()>,
    cv: Condvar,
    ready: AtomicBool,
}

pub fn lost_wakeup() {
    let w = Arc::new(Wakeup {
        m: Mutex::new(()),
        cv: Condvar::new(),
        ready: AtomicBool::new(false),
    });
    let waiter = {
        let w = Arc::clone(&w);
        thread::spawn(move || {
            if !w.ready.load(SeqCst) {
                let g = w.m.lock().expect("no thread panics holding the lock");
                let _g = w.cv.wait(g).expect("no thread panics holding the lock");
            }
        })
    };
    let setter = {
        let w = Arc::clone(&w);
        thread::spawn(move || {
            w.ready.store(true, SeqCst);
            w.cv.notify_one();
        })
    };
    waiter
        .join()
        .expect("loom propagates a thread's panic itself");
    setter
        .join()
        .expect("loom propagates a thread's panic itself");
}

// ---- Treiber stack: models/atomics/treiber_stack.weft

struct Treiber {
    top: AtomicUsize,
    next: [AtomicUsize; 3],
    /// The payloads: plain memory in the model, published by the Release CAS on `top`.
    value: [AtomicUsize; 3],
}

pub fn treiber_stack() {
    let s = Arc::new(Treiber {
        top: AtomicUsize::new(0),
        next: [
            AtomicUsize::new(0),
            AtomicUsize::new(0),
            AtomicUsize::new(0),
        ],
        value: [
            AtomicUsize::new(0),
            AtomicUsize::new(0),
            AtomicUsize::new(0),
        ],
    });
    let pushers: Vec<_> = (0..2)
        .map(|tid| {
            let s = Arc::clone(&s);
            thread::spawn(move || {
                let node = tid + 1;
                s.value[node].store(node * 10, Relaxed);
                loop {
                    let top = s.top.load(Relaxed);
                    s.next[node].store(top, Relaxed);
                    if s.top.compare_exchange(top, node, Release, Relaxed).is_ok() {
                        break;
                    }
                }
            })
        })
        .collect();
    let popper = {
        let s = Arc::clone(&s);
        thread::spawn(move || {
            let mut popped = 0;
            let mut sum = 0;
            while popped < 2 {
                let top = s.top.load(Acquire);
                if top == 0 {
                    spin_loop();
                    continue;
                }
                let next = s.next[top].load(Relaxed);
                if s.top.compare_exchange(top, next, Acquire, Relaxed).is_ok() {
                    sum += s.value[top].load(Relaxed);
                    popped += 1;
                }
            }
            assert_eq!(sum, 30);
        })
    };
    for handle in pushers {
        handle
            .join()
            .expect("loom propagates a thread's panic itself");
    }
    popper
        .join()
        .expect("loom propagates a thread's panic itself");
    assert_eq!(s.top.load(SeqCst), 0);
}

// ---- channel pipeline: models/versus/pipeline_unbounded.weft

pub fn channel_pipeline() {
    let (raw_tx, raw_rx) = mpsc::channel::<usize>();
    let (cooked_tx, cooked_rx) = mpsc::channel::<usize>();
    let producer = thread::spawn(move || {
        for i in 1..3 {
            raw_tx
                .send(i)
                .expect("the stage receives until the end marker");
        }
        raw_tx
            .send(0)
            .expect("the stage receives until the end marker");
    });
    let stage = thread::spawn(move || loop {
        let v = raw_rx.recv().expect("the producer sends the end marker");
        cooked_tx
            .send(v * 10)
            .expect("the consumer receives until the end marker");
        if v == 0 {
            break;
        }
    });
    let consumer = thread::spawn(move || {
        let mut expected = 10;
        loop {
            let v = cooked_rx.recv().expect("the stage sends the end marker");
            if v == 0 {
                break;
            }
            assert_eq!(v, expected, "items arrive in order");
            expected += 10;
        }
        assert_eq!(expected, 30);
    });
    producer
        .join()
        .expect("loom propagates a thread's panic itself");
    stage
        .join()
        .expect("loom propagates a thread's panic itself");
    consumer
        .join()
        .expect("loom propagates a thread's panic itself");
}

/// Store buffering with Release stores and Acquire loads: both loads may read 0 in Rust's memory
/// model (release/acquire orders nothing between a store and a later load of another location).
pub fn store_buffering_release_acquire() {
    let x = Arc::new((AtomicUsize::new(0), AtomicUsize::new(0)));
    let a = {
        let x = Arc::clone(&x);
        thread::spawn(move || {
            x.0.store(1, Release);
            x.1.load(Acquire)
        })
    };
    let b = {
        let x = Arc::clone(&x);
        thread::spawn(move || {
            x.1.store(1, Release);
            x.0.load(Acquire)
        })
    };
    let (r1, r2) = (a.join().unwrap(), b.join().unwrap());
    assert!(r1 == 1 || r2 == 1, "both loads read 0");
}

/// Message passing with a Relaxed flag over Relaxed data: the reader may see the flag and stale
/// data.
pub fn message_passing_relaxed() {
    let x = Arc::new((AtomicUsize::new(0), AtomicBool::new(false)));
    let writer = {
        let x = Arc::clone(&x);
        thread::spawn(move || {
            x.0.store(42, Relaxed);
            x.1.store(true, Relaxed);
        })
    };
    if x.1.load(Relaxed) {
        assert_eq!(x.0.load(Relaxed), 42, "the flag was seen but not the data");
    }
    writer.join().unwrap();
}
