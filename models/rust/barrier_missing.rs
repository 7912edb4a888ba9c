//! Seeded bug: the same exchange without the barrier. A thread may read the other's slot before it is
//! written (an assertion failure), and the read races with the write.
//@ expect: data-race, assertion-failure

use std::thread;

static mut SLOTS: [i32; 2] = [0; 2];

fn worker(me: usize) {
    unsafe {
        SLOTS[me] = me as i32 + 1;
    }
    let other = unsafe { SLOTS[1 - me] };
    assert_eq!(other, (1 - me) as i32 + 1);
}

fn main() {
    let a = thread::spawn(|| worker(0));
    let b = thread::spawn(|| worker(1));
    a.join().unwrap();
    b.join().unwrap();
}
