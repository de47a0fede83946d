//! Field by field: which fields of a record differ between two versions of
//! it. Works on the records' line form, so it reads journal entries as well
//! as values: `history` says what an entry changed, `import --dry-run` what
//! an import would overwrite, and sync what each side did to a record.

use serde_json::{Map, Value};

use super::Record;

/// One field that differs, with its value before and after (null: none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    pub before: Value,
    pub after: Value,
}

/// A record line's fields as a JSON object, without its `type`; None when
/// the text is not a JSON object. A development's `start` and `end` follow
/// from its date, so they are left out (a change of date says it all), and
/// a line written before `scheduled` existed reads as not scheduled, so that
/// lines of every version compare alike.
pub fn fields(line: &str) -> Option<Map<String, Value>> {
    match serde_json::from_str(line) {
        Ok(Value::Object(mut map)) => {
            let is_development = map.shift_remove("type").is_some_and(|t| t == "development");
            if is_development {
                map.shift_remove("start");
                map.shift_remove("end");
                if !map.contains_key("scheduled") {
                    map.insert("scheduled".to_string(), Value::Bool(false));
                }
            }
            Some(map)
        }
        _ => None,
    }
}

/// The fields that differ between two versions, in the order of `after`'s
/// fields (then any that only `before` has).
pub fn diff_fields(before: &Map<String, Value>, after: &Map<String, Value>) -> Vec<FieldChange> {
    let mut changes: Vec<FieldChange> = after
        .iter()
        .filter_map(|(field, new)| {
            let old = before.get(field).unwrap_or(&Value::Null);
            (old != new).then(|| FieldChange {
                field: field.clone(),
                before: old.clone(),
                after: new.clone(),
            })
        })
        .collect();
    changes.extend(
        before
            .iter()
            .filter(|(field, old)| !after.contains_key(*field) && !old.is_null())
            .map(|(field, old)| FieldChange {
                field: field.clone(),
                before: old.clone(),
                after: Value::Null,
            }),
    );
    changes
}

/// The fields that differ between two versions of a record.
pub fn diff(before: &Record, after: &Record) -> Vec<FieldChange> {
    match (fields(&before.to_line()), fields(&after.to_line())) {
        (Some(before), Some(after)) => diff_fields(&before, &after),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_changed_fields_are_listed_in_order() {
        let before = fields(r#"{"type":"x","a":1,"b":"same","c":[1],"gone":"x"}"#).unwrap();
        let after = fields(r#"{"type":"x","c":[1,2],"b":"same","a":2}"#).unwrap();
        let changes = diff_fields(&before, &after);
        let named: Vec<(&str, Value, Value)> = changes
            .iter()
            .map(|c| (c.field.as_str(), c.before.clone(), c.after.clone()))
            .collect();
        assert_eq!(
            named,
            [
                ("c", json!([1]), json!([1, 2])),
                ("a", json!(1), json!(2)),
                ("gone", json!("x"), Value::Null),
            ]
        );
        assert!(fields("not json").is_none());
    }

    #[test]
    fn derived_and_later_fields_of_a_development_make_no_difference() {
        let old = fields(r#"{"type":"development","date":"2025-07"}"#).unwrap();
        let new = fields(
            r#"{"type":"development","date":"2025-08","start":"2025-08-01","end":"2025-08-31","scheduled":false}"#,
        )
        .unwrap();
        let changed: Vec<String> = diff_fields(&old, &new)
            .into_iter()
            .map(|c| c.field)
            .collect();
        assert_eq!(changed, ["date"]);
    }
}
