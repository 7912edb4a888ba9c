/* A test-and-set spinlock: four processes each enter the critical section twice.
 * weft: models/bench/cas_spinlock_4.weft. The compare-exchange that succeeds is one atomic step;
 * a failing one is a blocked guard here (weft spins on it). */
#define N 4
#define ROUNDS 2
bool locked = false;
byte count = 0;

proctype T() {
    byte round = 0;
    byte tmp = 0;
    do
    :: round < ROUNDS ->
        atomic { locked == false -> locked = true };
        tmp = count;
        d_step { count = tmp + 1; tmp = 0 };
        d_step { locked = false; round++ }
    :: else -> break
    od
}

init {
    atomic { run T(); run T(); run T(); run T() };
    (_nr_pr == 1);
    assert(count == N * ROUNDS)
}
