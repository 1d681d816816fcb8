//! Progress of reading many workbooks: a bar on a terminal, a few plain
//! lines otherwise (CI, logs), nothing for a handful of files.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};

/// Below this many files there is nothing worth showing.
const SHOW_FROM: usize = 50;

pub struct Cli {
    bar: Mutex<Option<ProgressBar>>,
    total: AtomicUsize,
    done: AtomicUsize,
    terminal: bool,
}

impl Cli {
    pub fn new() -> Cli {
        Cli {
            bar: Mutex::new(None),
            total: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
            terminal: std::io::stderr().is_terminal(),
        }
    }
}

impl baocao::Progress for Cli {
    fn start(&self, total: usize) {
        crate::reading_workbooks(total);
        self.total.store(total, Ordering::Relaxed);
        if total < SHOW_FROM {
            return;
        }
        if self.terminal {
            let bar = ProgressBar::new(total as u64);
            bar.set_style(
                ProgressStyle::with_template("Đang đọc biểu mẫu {bar:40} {pos}/{len} tệp, còn khoảng {eta}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            *self.bar.lock().expect("progress") = Some(bar);
        } else {
            errln!("Đang đọc {total} tệp biểu mẫu…");
        }
    }

    fn read(&self, _name: &str) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        let total = self.total.load(Ordering::Relaxed);
        if total < SHOW_FROM {
            return;
        }
        if let Some(bar) = self.bar.lock().expect("progress").as_ref() {
            bar.set_position(done as u64);
        } else if done.is_multiple_of((total / 10).max(1)) {
            errln!("Đã đọc {done}/{total} tệp.");
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.bar.lock().expect("progress").take() {
            bar.finish_and_clear();
        }
    }
}
