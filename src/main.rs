//! The `lookout` binary: parse the command line, run, print an error once,
//! exit with its code. Everything else is in the library.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use lookout::cli::Cli;
use lookout::screen::for_stderr;

fn main() -> ExitCode {
    // clap prints usage errors itself and exits 2 (help and --version exit 0).
    let cli = Cli::parse();
    match lookout::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // `lookout timeline | head`: the reader left; that is not a failure.
        Err(err) if err.is_broken_pipe() => ExitCode::SUCCESS,
        Err(err) => {
            let mut stderr = std::io::stderr().lock();
            // Errors echo arguments and cells: shown as text, never as escapes.
            let _ = writeln!(stderr, "lookout: error: {}", for_stderr(err.message()));
            if let Some(hint) = err.hint() {
                let _ = writeln!(stderr, "lookout: hint: {}", for_stderr(hint));
            }
            ExitCode::from(err.code() as u8)
        }
    }
}
