//! Deadlock reports: what each blocked thread waits for, and the wait-for cycle when there is one.

use smallvec::SmallVec;

use super::eval::{eval, obj_index};
use super::machine::Machine;
use super::state::{Phase, State, NONE};
use crate::explore::Finding;
use crate::ir::Op;
use crate::report::ViolationKind;

/// Threads a blocked thread waits for (lock holders, the thread it joins).
type Holders = SmallVec<[u32; 2]>;

impl Machine<'_> {
    /// The finding for a state where no thread can move and not all have finished.
    pub(crate) fn deadlock_finding(&self, s: &State) -> Finding {
        let blocked: Vec<u32> = (0..s.thread_count())
            .filter(|&t| !s.is_finished(t))
            .collect();
        let mut texts = Vec::with_capacity(blocked.len());
        let mut edges: Vec<Holders> = vec![Holders::new(); s.thread_count() as usize];
        for &t in &blocked {
            let (text, holders) = self.blocked_on(s, t);
            texts.push(text);
            edges[t as usize] = holders;
        }
        let cycle = find_cycle(&blocked, &edges);
        let mut message = String::from("deadlock: every unfinished thread is blocked");
        for text in &texts {
            message.push_str("\n  ");
            message.push_str(text);
        }
        if let Some(cycle) = &cycle {
            let names: Vec<String> = cycle
                .iter()
                .chain(cycle.first())
                .map(|&t| self.thread_name(t, s))
                .collect();
            message.push_str(&format!("\n  cycle: {}", names.join(" -> ")));
        }
        let primary = cycle
            .as_ref()
            .and_then(|c| c.first().copied())
            .or(blocked.first().copied())
            .unwrap_or(0);
        let related = blocked
            .iter()
            .zip(texts)
            .filter(|(&t, _)| t != primary)
            .map(|(&t, text)| (self.instr_span(s, t), text))
            .collect();
        Finding {
            kind: ViolationKind::Deadlock,
            message,
            span: self.instr_span(s, primary),
            related,
            thread: None,
        }
    }

    /// What blocked thread `t` waits for, as a sentence, and the threads it waits on.
    fn blocked_on(&self, s: &State, t: u32) -> (String, Holders) {
        let who = self.quoted(t, s);
        let stuck = (format!("{who} cannot move"), Holders::new());
        let Some(instr) = self.instr(s, t) else {
            return stuck;
        };
        let env = self.env(s, t);
        let held = |owner: u32| -> Holders {
            if owner == NONE {
                Holders::new()
            } else {
                Holders::from_elem(owner, 1)
            }
        };
        let phase = s.thread(t).phase;
        match &instr.op {
            Op::Lock { mutex, .. } => {
                let Ok(m) = obj_index(mutex, &env) else {
                    return stuck;
                };
                let owner = s.mutex(m);
                let text = format!(
                    "{who} waits for `{}`, held by {}",
                    self.names.mutexes[m],
                    self.quoted(owner, s)
                );
                (text, held(owner))
            }
            Op::RwLock { rw, write, .. } => {
                let Ok(r) = obj_index(rw, &env) else {
                    return stuck;
                };
                let st = &s.rwlocks[r];
                let name = &self.names.rwlocks[r];
                if st.writer != NONE {
                    let how = if *write { "write" } else { "read" };
                    let text = format!(
                        "{who} waits to {how}-lock `{name}`, write-locked by {}",
                        self.quoted(st.writer, s)
                    );
                    (text, held(st.writer))
                } else {
                    let text = format!(
                        "{who} waits to write-lock `{name}`, read-locked by {}",
                        self.thread_list(&st.readers, s)
                    );
                    (text, st.readers.clone())
                }
            }
            Op::CondWait { cv, guard } => {
                let cv_name = obj_index(cv, &env).map_or("?", |c| &self.names.condvars[c]);
                let m = usize::try_from(self.get_local(s, t, *guard)).ok();
                let lock = m.filter(|&m| m < s.mutex_count()).map(|m| (m, s.mutex(m)));
                match (phase, lock) {
                    (Phase::CondWoken, Some((m, owner))) => {
                        let text = format!(
                            "{who} waits to re-lock `{}` after `{cv_name}.wait()`, held by {}",
                            self.names.mutexes[m],
                            self.quoted(owner, s)
                        );
                        (text, held(owner))
                    }
                    _ => (
                        format!(
                            "{who} sleeps in `{cv_name}.wait()` and nobody is left to notify it"
                        ),
                        Holders::new(),
                    ),
                }
            }
            Op::Send { ch, .. } => {
                let Ok(c) = obj_index(ch, &env) else {
                    return stuck;
                };
                let name = &self.names.channels[c];
                let cap = self.program.channel_capacity[c];
                let text = if cap == 0 {
                    format!("{who} waits in `{name}.send()` for a receiver")
                } else {
                    format!("{who} waits to send on `{name}`, which is full ({cap} of {cap})")
                };
                (text, Holders::new())
            }
            Op::Recv { ch, .. } => {
                let Ok(c) = obj_index(ch, &env) else {
                    return stuck;
                };
                let text = format!(
                    "{who} waits to receive from `{}`, which is empty",
                    self.names.channels[c]
                );
                (text, Holders::new())
            }
            Op::BarrierWait { barrier } => {
                let Ok(b) = obj_index(barrier, &env) else {
                    return stuck;
                };
                let name = &self.names.barriers[b];
                let parties = self.program.barrier_parties[b].max(1);
                let text = if phase == Phase::BarrierWaiting {
                    let arrived = s.barrier(b).arrived;
                    format!("{who} waits at `{name}` ({arrived} of {parties} arrived)")
                } else {
                    format!("{who} waits at `{name}` for the previous round to leave")
                };
                (text, Holders::new())
            }
            Op::Join { handle } => match eval(handle, &env) {
                Ok(h) if h >= 0 && h < i64::from(s.thread_count()) => {
                    let target = h as u32;
                    let text = format!("{who} waits for {} to finish", self.quoted(target, s));
                    (text, held(target))
                }
                _ => stuck,
            },
            _ => stuck,
        }
    }
}

/// The first wait-for cycle among `nodes` (searched in order), rotated to start at its lowest thread.
fn find_cycle(nodes: &[u32], edges: &[Holders]) -> Option<Vec<u32>> {
    // 0 = unvisited, 1 = on the current path, 2 = done.
    let mut mark = vec![0u8; edges.len()];
    let mut path = Vec::new();
    for &start in nodes {
        if mark[start as usize] == 0 {
            if let Some(c) = dfs(start, edges, &mut mark, &mut path) {
                let low = c
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, &t)| t)
                    .map_or(0, |(i, _)| i);
                let mut c = c;
                c.rotate_left(low);
                return Some(c);
            }
        }
    }
    None
}

fn dfs(t: u32, edges: &[Holders], mark: &mut [u8], path: &mut Vec<u32>) -> Option<Vec<u32>> {
    mark[t as usize] = 1;
    path.push(t);
    for &u in &edges[t as usize] {
        match mark.get(u as usize) {
            Some(1) => {
                let at = path.iter().position(|&p| p == u).unwrap_or(0);
                return Some(path[at..].to_vec());
            }
            Some(0) => {
                if let Some(c) = dfs(u, edges, mark, path) {
                    return Some(c);
                }
            }
            _ => {}
        }
    }
    path.pop();
    mark[t as usize] = 2;
    None
}
