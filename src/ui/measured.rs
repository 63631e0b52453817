//! plotters' canvas backend, measuring text with the canvas itself. Without a font engine,
//! plotters measures a text by adding a styled `<span>` to the page and reading its size: a
//! layout of the whole page per label (a chart's draw took 50-70 ms on a large entity's page),
//! and an inline style the Content-Security-Policy would have to allow. `measureText` does
//! neither. Drawing is plotters-canvas's own.

use plotters::prelude::DrawingBackend;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontStyle,
};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

pub struct MeasuredCanvas {
    inner: CanvasBackend,
    context: CanvasRenderingContext2d,
}

impl MeasuredCanvas {
    pub fn new(canvas: HtmlCanvasElement) -> Option<MeasuredCanvas> {
        let context = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        Some(MeasuredCanvas {
            inner: CanvasBackend::with_canvas_object(canvas)?,
            context,
        })
    }
}

/// plotters-canvas does not export its error type's name.
type CanvasError = <CanvasBackend as DrawingBackend>::ErrorType;
type Drawn = Result<(), DrawingErrorKind<CanvasError>>;

impl DrawingBackend for MeasuredCanvas {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Drawn {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Drawn {
        self.inner.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Drawn {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, s: &S) -> Drawn {
        self.inner.draw_line(from, to, s)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        s: &S,
        fill: bool,
    ) -> Drawn {
        self.inner.draw_rect(upper_left, bottom_right, s, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        s: &S,
    ) -> Drawn {
        self.inner.draw_path(path, s)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        s: &S,
    ) -> Drawn {
        self.inner.fill_polygon(vert, s)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        s: &S,
        fill: bool,
    ) -> Drawn {
        self.inner.draw_circle(center, radius, s, fill)
    }

    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, s: &S, pos: BackendCoord) -> Drawn {
        self.inner.draw_text(text, s, pos)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        s: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<CanvasError>> {
        let style = match s.style() {
            FontStyle::Normal => "normal",
            FontStyle::Italic => "italic",
            FontStyle::Oblique => "oblique",
            FontStyle::Bold => "bold",
        };
        // Whole pixels, as the charts' font sizes are.
        let px = s.size().round().max(1.0) as u32;
        self.context
            .set_font(&format!("{style} {px}px {}", s.family().as_str()));
        let m = self
            .context
            .measure_text(text)
            .map_err(|_| DrawingErrorKind::FontError(Box::new(Unmeasured)))?;
        // The font's line box, as the `<span>` measured it.
        let height = m.font_bounding_box_ascent() + m.font_bounding_box_descent();
        Ok((m.width().ceil() as u32, height.ceil() as u32))
    }
}

/// A unit error rather than a message turned into a boxed error: that conversion's `Debug`
/// (escaping every char) brought 3 KB of formatting code into the wasm.
#[derive(Debug)]
struct Unmeasured;

impl std::fmt::Display for Unmeasured {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the text could not be measured")
    }
}

impl std::error::Error for Unmeasured {}
