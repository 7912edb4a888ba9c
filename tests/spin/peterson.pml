/* Peterson's algorithm for two processes, each entering the critical section once.
 * weft: models/locks/peterson.weft (SeqCst atomics; Promela's globals are sequentially consistent).
 * The wait is a blocking guard that reads the flag and the turn in one step, as usual in Promela. */
bool flag[2];
byte turn = 0;
byte in_cs = 0;
byte count = 0;

proctype P(byte me) {
    byte other = 1 - me;
    byte tmp;
    flag[me] = true;
    turn = other;
    (flag[other] == false || turn != other);
    /* critical section */
    atomic { assert(in_cs == 0); in_cs++ };
    tmp = count;
    d_step { count = tmp + 1; tmp = 0 };
    in_cs--;
    flag[me] = false
}

init {
    atomic { run P(0); run P(1) };
    (_nr_pr == 1);
    assert(count == 2)
}
