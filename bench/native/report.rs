//! How the figures are reduced and written: medians, and the JSON of `native.json`.

/// The median of some runs' figures (the mean of the middle two for an even count).
pub fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    let n = samples.len();
    if n % 2 == 1 {
        samples[n / 2]
    } else {
        (samples[n / 2 - 1] + samples[n / 2]) / 2.0
    }
}

/// A JSON object under construction: numbers (`NaN`/missing as `null`) and nested objects.
#[derive(Default)]
pub struct Json(Vec<(String, String)>);

impl Json {
    pub fn number(&mut self, key: &str, value: f64) -> &mut Json {
        let text = if value.is_finite() {
            format!("{value:.3}")
        } else {
            "null".to_string()
        };
        self.0.push((key.to_string(), text));
        self
    }

    pub fn object(&mut self, key: &str, value: Json) -> &mut Json {
        self.0.push((key.to_string(), value.render()));
        self
    }

    pub fn render(&self) -> String {
        let fields: Vec<String> = self
            .0
            .iter()
            .map(|(k, v)| format!("\"{k}\": {v}"))
            .collect();
        format!("{{ {} }}", fields.join(", "))
    }
}
