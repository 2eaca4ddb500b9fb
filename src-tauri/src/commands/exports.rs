//! Saving what a page shows: a table as CSV (UTF-8 with BOM, formula cells neutralised, written
//! beside the target and renamed) and a chart as the PNG the web view drew — checked to be one
//! before it is written. Off the main thread.

use base64::Engine;
use serde::Serialize;
use tauri::State;

use super::boundary;
use crate::error::{CommandError, Fault};
use crate::state::AppState;

/// A table written to a file: how many rows, how many bytes (the records and archive exports).
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Exported {
    pub rows: usize,
    pub bytes: u64,
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Saved {
    pub rows: usize,
    pub bytes: u64,
}

/// Writes `header` and `rows` to `path` as CSV.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn export_table(
    state: State<'_, AppState>,
    path: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
) -> Result<Saved, CommandError> {
    boundary(&state, async {
        tokio::task::spawn_blocking(move || {
            let header: Vec<&str> = header.iter().map(String::as_str).collect();
            let n = rows.len();
            crate::csvfile::write(std::path::Path::new(&path), &header, rows)
                .map(|bytes| Saved { rows: n, bytes })
                .map_err(|e| Fault::File { reading: false, detail: e.to_string() })
        })
        .await
        .map_err(Fault::internal)?
    })
    .await
}

/// Writes the PNG in `data_url` (`data:image/png;base64,…`, as a canvas gives it) to `path`.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn save_png(state: State<'_, AppState>, path: String, data_url: String) -> Result<Saved, CommandError> {
    boundary(&state, async {
        tokio::task::spawn_blocking(move || {
            let png = data_url
                .strip_prefix("data:image/png;base64,")
                .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
                .filter(|png| image::load_from_memory_with_format(png, image::ImageFormat::Png).is_ok())
                .ok_or_else(|| Fault::internal("the chart is not a PNG image"))?;
            crate::files::write(std::path::Path::new(&path), &png)
                .map_err(|e| Fault::File { reading: false, detail: e.to_string() })?;
            Ok(Saved { rows: 0, bytes: png.len() as u64 })
        })
        .await
        .map_err(Fault::internal)?
    })
    .await
}
