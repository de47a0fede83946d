//! The flags of a development's free texts (`record::fields`, `model::Texts`):
//! `log --summary`, `edit --summary | --no-summary`. Each flag is named as
//! its field, and `given` hands the command each field's name with what was
//! typed, so that the command sets any free text alike.

use clap::Args;

/// `log`'s free texts.
#[derive(Debug, Default, Args)]
pub struct TextArgs {
    /// More detail
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub summary: Option<String>,
}

impl TextArgs {
    /// Each free text's field name, and the text given for it, if any.
    pub fn given(&self) -> [(&'static str, Option<&str>); 1] {
        [("summary", self.summary.as_deref())]
    }
}

/// `edit`'s free texts: a new text, or none. Each flag is one of the
/// changes `edit` needs at least one of (`EditArgs`).
#[derive(Debug, Default, Args)]
pub struct TextEditArgs {
    /// A new summary
    #[arg(
        long,
        value_name = "TEXT",
        allow_hyphen_values = true,
        conflicts_with = "no_summary",
        group = "change"
    )]
    pub summary: Option<String>,
    /// Remove the summary
    #[arg(long, group = "change")]
    pub no_summary: bool,
}

impl TextEditArgs {
    /// The free texts the flags change, each with its field name and its
    /// new text (None: remove it).
    pub fn given(&self) -> Vec<(&'static str, Option<&str>)> {
        [("summary", self.summary.as_deref(), self.no_summary)]
            .into_iter()
            .filter(|(_, text, remove)| text.is_some() || *remove)
            .map(|(name, text, _)| (name, text))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_flag_names_a_free_text_and_each_free_text_has_its_flags() {
        let texts: Vec<&str> = crate::record::fields::texts()
            .map(|(f, _)| f.name)
            .collect();
        let logged: Vec<&str> = TextArgs::default()
            .given()
            .iter()
            .map(|(n, _)| *n)
            .collect();
        assert_eq!(logged, texts);
        let removed = TextEditArgs {
            summary: Some("new".into()),
            no_summary: true,
        };
        let edited: Vec<&str> = removed.given().iter().map(|(n, _)| *n).collect();
        assert_eq!(edited, texts);
    }
}
