//! `handbook build` through the library with the system allocator, so heap
//! profilers that hook malloc (heaptrack) see every allocation:
//! `heaptrack target/debug/examples/build_heap build --root DIR`.

use clap::Parser;

fn main() {
    let cli = handbook::cli::Cli::parse();
    std::process::exit(handbook::cli::run(cli) as i32);
}
