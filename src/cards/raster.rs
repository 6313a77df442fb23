//! SVG text → PNG bytes with resvg, and SVG validation for `check`.
//!
//! resvg is built without its raster-image decoders (GIF, WebP, JPEG) to keep
//! the build lean; the one raster image a card has, the organisation's PNG
//! logo, is decoded by tiny-skia here and drawn where the template put it.
//! SVG logos need no decoder. This module does not cache (see `cache`).

use resvg::tiny_skia;
use resvg::usvg;

/// Card size in pixels (what Facebook, LinkedIn and X recommend).
pub(crate) const WIDTH: u32 = 1200;
pub(crate) const HEIGHT: u32 = 630;

/// What resvg needs to draw a card's text and logo (`Kit` provides it).
pub(crate) struct Fonts {
    pub(crate) db: std::sync::Arc<usvg::fontdb::Database>,
    /// Where the template's relative `href`s (the logo) are read from.
    pub(crate) resources_dir: std::path::PathBuf,
    pub(crate) family: String,
}

/// Where an SVG document is not valid (1-based line and column).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SvgProblem {
    pub(crate) line: u32,
    pub(crate) col: u32,
    pub(crate) message: String,
}

/// Why a card could not be turned into a PNG. Cloneable, since a card
/// keeps the outcome of its one attempt.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum RasterError {
    #[error("the card's SVG cannot be drawn: {0}")]
    Svg(String),
    #[error("cannot allocate a {WIDTH}×{HEIGHT} image for the card")]
    Allocate,
    #[error("cannot encode the card as PNG: {0}")]
    Encode(String),
}

fn options(fonts: Fonts) -> usvg::Options<'static> {
    usvg::Options {
        resources_dir: Some(fonts.resources_dir),
        fontdb: fonts.db,
        font_family: fonts.family,
        ..Default::default()
    }
}

/// Whether `svg` parses as a card: well-formed XML with a size.
pub(crate) fn check_svg(svg: &str) -> Result<(), SvgProblem> {
    let opts = usvg::roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = match usvg::roxmltree::Document::parse_with_options(svg, opts) {
        Ok(d) => d,
        Err(e) => {
            let pos = e.pos();
            return Err(SvgProblem {
                line: pos.row,
                col: pos.col,
                message: e.to_string(),
            });
        }
    };
    let root = doc.root_element();
    if root.tag_name().name() != "svg" {
        return Err(SvgProblem {
            line: doc.text_pos_at(root.range().start).row,
            col: 1,
            message: format!(
                "the root element is <{}>, not <svg>",
                root.tag_name().name()
            ),
        });
    }
    Ok(())
}

/// Rasterises a card at 1200×630 and encodes it as PNG.
pub(crate) fn rasterise(svg: &str, fonts: Fonts) -> Result<Vec<u8>, RasterError> {
    let tree =
        usvg::Tree::from_str(svg, &options(fonts)).map_err(|e| RasterError::Svg(e.to_string()))?;
    let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or(RasterError::Allocate)?;
    let size = tree.size();
    let transform = tiny_skia::Transform::from_scale(
        WIDTH as f32 / size.width(),
        HEIGHT as f32 / size.height(),
    );
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    draw_png_images(tree.root(), transform, &mut pixmap);
    pixmap
        .encode_png()
        .map_err(|e| RasterError::Encode(e.to_string()))
}

/// Draws the PNG images resvg (without its decoders) skipped.
fn draw_png_images(
    group: &usvg::Group,
    root: tiny_skia::Transform,
    pixmap: &mut tiny_skia::Pixmap,
) {
    for node in group.children() {
        match node {
            usvg::Node::Group(g) => draw_png_images(g, root, pixmap),
            usvg::Node::Image(image) if image.is_visible() => {
                if let usvg::ImageKind::PNG(data) = image.kind() {
                    if let Ok(png) = tiny_skia::Pixmap::decode_png(data) {
                        let size = image.size();
                        // The image's own pixels scaled to its placed size,
                        // then the element's transform, then the card's.
                        let scale = tiny_skia::Transform::from_scale(
                            size.width() / png.width() as f32,
                            size.height() / png.height() as f32,
                        );
                        let t = scale.post_concat(image.abs_transform()).post_concat(root);
                        let paint = tiny_skia::PixmapPaint {
                            quality: tiny_skia::FilterQuality::Bicubic,
                            ..Default::default()
                        };
                        pixmap.draw_pixmap(0, 0, png.as_ref(), &paint, t, None);
                    }
                }
            }
            _ => {}
        }
    }
}
