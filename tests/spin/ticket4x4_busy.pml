/* A ticket lock: four processes each enter the critical section 4 times, waiting in a busy loop.
 * weft: tests/spin/weft/ticket_lock_4x4_atomic.weft (the counter read and written as here, with no
 * race check), and tests/spin/weft/ticket_lock_4x4.weft (a plain counter, also checked for data races).
 * As ticket4x4.pml, but the wait re-reads `serving` in a loop, step for step as weft spins, instead
 * of blocking on a guard: the fairer comparison of state counts. */
#define N 4
#define ROUNDS 4
byte next = 0;
byte serving = 0;
byte count = 0;

proctype T() {
    byte round = 0;
    byte my = 0;
    byte tmp = 0;
    do
    :: round < ROUNDS ->
        d_step { my = next; next++ };
        do
        :: serving == my -> break
        :: else -> skip
        od;
        /* critical section: the counter is read, then written */
        tmp = count;
        d_step { count = tmp + 1; tmp = 0 };
        d_step { serving = my + 1; my = 0; round++ }
    :: else -> break
    od
}

init {
    atomic { run T(); run T(); run T(); run T() };
    (_nr_pr == 1);
    assert(count == N * ROUNDS);
    assert(serving == N * ROUNDS)
}
