//! `baocao`: command-line entry. Parses arguments and hands over to `cli`.

mod cli;

// glibc's allocator keeps freed memory of the reading threads resident; a
// build of thousands of workbooks peaks lower with mimalloc
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(cli::run());
}
