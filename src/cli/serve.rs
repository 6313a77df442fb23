//! `handbook serve`: build into memory, serve locally, rebuild on change and
//! reload open pages. The work is in `crate::serve`.

use std::net::IpAddr;
use std::path::PathBuf;

use super::exit::Exit;
use crate::serve::{self, Settings};

#[derive(clap::Args, Debug, Clone)]
pub(crate) struct Args {
    /// Site root: where site.toml (optional) lives.
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// Content folder (default: content/ if it exists, else the root).
    #[arg(long)]
    pub(crate) content: Option<PathBuf>,
    /// Port to listen on; the next free one is used if it is taken, and 0
    /// picks any free port.
    #[arg(long, default_value_t = 1111)]
    pub(crate) port: u16,
    /// Address to listen on. Only this machine can connect to the default;
    /// 0.0.0.0 lets others on your network see the site (at this machine's
    /// address or host name; a warning says so).
    #[arg(long, default_value = "127.0.0.1")]
    pub(crate) bind: IpAddr,
    /// Also answer requests for this host name (a tunnel or proxy in
    /// front of serve); repeatable.
    #[arg(long = "allow-host", value_name = "NAME")]
    pub(crate) allow_host: Vec<String>,
    /// Include draft pages and roles.
    #[arg(long)]
    pub(crate) drafts: bool,
    /// Open the site in a browser once it is served.
    #[arg(long)]
    pub(crate) open: bool,
}

pub(crate) fn run(args: Args) -> Exit {
    let settings = Settings {
        root: args.root,
        content: args.content,
        bind: args.bind,
        port: args.port,
        drafts: args.drafts,
        open: args.open,
        allow_hosts: args.allow_host,
    };
    match serve::run(&settings) {
        Ok(()) => Exit::Success,
        Err(e) => {
            eprintln!("error: {e}");
            if matches!(e, serve::ServeError::Bind(..)) {
                eprintln!(
                    "  hint: choose another port with --port N, or --port 0 for any free one"
                );
            }
            Exit::Failure
        }
    }
}
