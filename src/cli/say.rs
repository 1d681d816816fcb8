//! Printing for the commands. A closed stdout (`baocao check | head -1`) or
//! stderr ends the printing to it quietly, never the command: the files are
//! written and the exit code is the same. `println!` would panic there.

use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);

/// One line to stdout (see [`outln!`]).
pub fn out(args: fmt::Arguments) {
    line(&mut io::stdout().lock(), args, &STDOUT_CLOSED);
}

/// One line to stderr (see [`errln!`]).
pub fn err(args: fmt::Arguments) {
    line(&mut io::stderr().lock(), args, &STDERR_CLOSED);
}

fn line(w: &mut dyn Write, args: fmt::Arguments, closed: &AtomicBool) {
    if closed.load(Ordering::Relaxed) {
        return;
    }
    // a broken pipe (the reader is gone) or any other failure: the rest of
    // the output would fail the same way
    if w.write_fmt(args).and_then(|_| w.write_all(b"\n")).and_then(|_| w.flush()).is_err() {
        closed.store(true, Ordering::Relaxed);
    }
}
