/* Lamport's bakery algorithm for three processes, each entering the critical section once.
 * weft: tests/spin/weft/bakery_3.weft. Each read of a shared variable is one step, with the local
 * work that follows it folded in (d_step), as weft runs local code with the visible step before it. */
#define N 3
bool choosing[N];
byte number[N];
byte in_cs = 0;
byte count = 0;

proctype P(byte me) {
    byte j = 0;
    byte highest = 0;
    byte mine = 0;
    byte tmp;
    /* doorway: take a ticket one higher than any seen */
    choosing[me] = true;
    do
    :: j < N -> atomic { if :: number[j] > highest -> highest = number[j] :: else -> skip fi; j++ }
    :: else -> break
    od;
    atomic { mine = highest + 1; number[me] = mine; highest = 0; j = 0 };
    choosing[me] = false;
    /* wait for every process with a smaller (ticket, id) */
    do
    :: j < N && j == me -> j++
    :: j < N && j != me ->
        (!choosing[j]);
        (number[j] == 0 || number[j] > mine || (number[j] == mine && j > me));
        j++
    :: else -> break
    od;
    /* critical section */
    atomic { assert(in_cs == 0); in_cs++ };
    tmp = count;
    d_step { count = tmp + 1; tmp = 0 };
    in_cs--;
    number[me] = 0
}

init {
    atomic { run P(0); run P(1); run P(2) };
    (_nr_pr == 1);
    assert(count == N)
}
