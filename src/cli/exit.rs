//! The process exit codes every command returns (`main` exits with them).

/// What the process exit code means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The command did what it was asked.
    Success = 0,
    /// Content, config or template errors.
    Failure = 1,
    /// The command line was wrong (clap uses 2 as well).
    Usage = 2,
}
