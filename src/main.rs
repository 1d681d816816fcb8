//! `baocao`: command-line entry. Parses arguments and hands over to `cli`.

mod cli;

// glibc's allocator keeps freed memory of the reading threads resident; a
// build of thousands of workbooks peaks lower with mimalloc
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's option `mi_option_purge_delay`: its place in the
/// `mi_option_e` enum of the mimalloc v3 that libmimalloc-sys 0.1.49 builds
/// (`c_src/mimalloc/v3/include/mimalloc.h`; the crate names only the
/// options the v2 and v3 enums share). The test below fails if a new
/// version moves it.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Memory freed by the reading threads goes back to the system at once
/// instead of after a second: a build of 10,000 workbooks peaks at 185 MB
/// instead of 250, in the same time; the sample build pays 5-8 ms for the
/// pages it is given again (docs/hieu-nang.md). Arenas committed lazily
/// would help too, but that option is read only when mimalloc starts,
/// before main.
fn return_memory_early() {
    // SAFETY: mi_option_set only stores the value, read at the next purge.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) }
}

fn main() {
    return_memory_early();
    std::process::exit(cli::run());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_options_set_are_the_ones_meant() {
        // its default in v3's src/options.c is 1000 ms; a renumbered enum
        // shows another option's value (a test binary does not run main)
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }, 1000);
    }
}
