//! The fixed choices an argument may take: a value outside them is a usage
//! error (exit 2). Each converts into the type of the layer that acts on it
//! (`style`, `report`), which knows no command line.

use clap::ValueEnum;

use crate::report::{changes, development, dossier, history, listing, status, timeline};
use crate::style;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl From<ColorChoice> for style::ColorChoice {
    fn from(choice: ColorChoice) -> Self {
        match choice {
            ColorChoice::Auto => style::ColorChoice::Auto,
            ColorChoice::Always => style::ColorChoice::Always,
            ColorChoice::Never => style::ColorChoice::Never,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Jsonl,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    Text,
    Json,
    Csv,
    /// GitHub-flavoured Markdown
    Md,
    /// One self-contained page with an SVG timeline
    Html,
}

impl From<StatusFormat> for status::Format {
    fn from(format: StatusFormat) -> Self {
        match format {
            StatusFormat::Text => status::Format::Text,
            StatusFormat::Json => status::Format::Json,
            StatusFormat::Csv => status::Format::Csv,
            StatusFormat::Md => status::Format::Md,
            StatusFormat::Html => status::Format::Html,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChangesFormat {
    Text,
    /// GitHub-flavoured Markdown, to paste into a briefing
    Md,
    /// One self-contained page with an SVG timeline of the window
    Html,
    Json,
}

impl From<ChangesFormat> for changes::Format {
    fn from(format: ChangesFormat) -> Self {
        match format {
            ChangesFormat::Text => changes::Format::Text,
            ChangesFormat::Md => changes::Format::Md,
            ChangesFormat::Html => changes::Format::Html,
            ChangesFormat::Json => changes::Format::Json,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TimelineFormat {
    Text,
    Csv,
    Json,
    /// GitHub-flavoured Markdown
    Md,
    /// One self-contained page with an SVG timeline
    Html,
    /// The JSON Knight Lab's TimelineJS loads
    Timelinejs,
    /// The CSV of TimelineJS's spreadsheet template
    TimelinejsSheet,
}

impl From<TimelineFormat> for timeline::Format {
    fn from(format: TimelineFormat) -> Self {
        match format {
            TimelineFormat::Text => timeline::Format::Text,
            TimelineFormat::Csv => timeline::Format::Csv,
            TimelineFormat::Json => timeline::Format::Json,
            TimelineFormat::Md => timeline::Format::Md,
            TimelineFormat::Html => timeline::Format::Html,
            TimelineFormat::Timelinejs => timeline::Format::Timelinejs,
            TimelineFormat::TimelinejsSheet => timeline::Format::TimelinejsSheet,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DossierFormat {
    Text,
    Json,
    /// GitHub-flavoured Markdown
    Md,
    /// One self-contained page with an SVG timeline
    Html,
}

impl From<DossierFormat> for dossier::Format {
    fn from(format: DossierFormat) -> Self {
        match format {
            DossierFormat::Text => dossier::Format::Text,
            DossierFormat::Json => dossier::Format::Json,
            DossierFormat::Md => dossier::Format::Md,
            DossierFormat::Html => dossier::Format::Html,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DetailFormat {
    Text,
    Json,
}

impl From<DetailFormat> for development::Format {
    fn from(format: DetailFormat) -> Self {
        match format {
            DetailFormat::Text => development::Format::Text,
            DetailFormat::Json => development::Format::Json,
        }
    }
}

impl From<DetailFormat> for history::Format {
    fn from(format: DetailFormat) -> Self {
        match format {
            DetailFormat::Text => history::Format::Text,
            DetailFormat::Json => history::Format::Json,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Csv,
    Json,
}

impl From<ListFormat> for listing::Format {
    fn from(format: ListFormat) -> Self {
        match format {
            ListFormat::Text => listing::Format::Text,
            ListFormat::Csv => listing::Format::Csv,
            ListFormat::Json => listing::Format::Json,
        }
    }
}
