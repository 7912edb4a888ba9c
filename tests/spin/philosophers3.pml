/* Dining philosophers, three of them, each taking the left fork, then the right one: a deadlock
 * (SPIN reports it as an invalid end state). weft: models/classic/philosophers_deadlock.weft. */
#define N 3
bool fork[N];
byte meals = 0;

proctype Phil(byte i) {
    atomic { fork[i] == false -> fork[i] = true };
    atomic { fork[(i + 1) % N] == false -> fork[(i + 1) % N] = true };
    meals++;
    fork[(i + 1) % N] = false;
    fork[i] = false
}

init {
    atomic { run Phil(0); run Phil(1); run Phil(2) };
    (_nr_pr == 1);
    assert(meals == N)
}
