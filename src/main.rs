//! `baocao`: command-line entry. Parses arguments and hands over to `cli`.

mod cli;

fn main() {
    std::process::exit(cli::run());
}
