//! The `handbook` binary: parse arguments, run the command, exit with its code.

use clap::Parser;

fn main() {
    let cli = match handbook::cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                handbook::cli::Exit::Usage as i32
            } else {
                0
            };
            let _ = e.print();
            std::process::exit(code);
        }
    };
    let exit = handbook::cli::run(cli);
    std::process::exit(exit as i32);
}
