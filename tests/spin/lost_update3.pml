/* Lost update: three processes each read a shared counter, then write it plus one, with no lock.
 * weft: models/versus/lost_update_atomic_3.weft. SPIN reports the failed final assertion. */
byte count = 0;

proctype Inc() {
    byte v;
    v = count;
    count = v + 1
}

init {
    atomic { run Inc(); run Inc(); run Inc() };
    (_nr_pr == 1);
    assert(count == 3)
}
