//! `baton export` of the pages that carry a script (issue 17): the hand-off pages loaded
//! `assets/sort.js`, and export refused every page that loaded a file, so they could not be
//! exported at all. The script is now inlined like the stylesheet.

use crate::util::{baton, copy_fixture};

#[test]
fn export_of_the_handoff_page_inlines_its_script() {
    let project = copy_fixture("small");
    let root = project.path();
    let built = baton(root, &["build"]);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let out = baton(
        root,
        &["export", "handoffs.html", "-o", "handoffs-mail.html"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("stylesheet and script inlined"), "{stderr}");
    let page = std::fs::read_to_string(root.join("handoffs-mail.html")).expect("exported");
    // Nothing left to load: no script or image source, no stylesheet link, no attribute
    // naming a script or stylesheet (the stylesheet's comments may name the files).
    for external in [" src=", "rel=\"stylesheet\"", ".js\"", ".css\""] {
        assert!(!page.contains(external), "still refers to {external:?}");
    }
    let sorter = std::fs::read_to_string(root.join("output/assets/sort.js")).expect("sort.js");
    let script = page
        .find(&format!("<script>\n{sorter}\n</script>"))
        .expect("the sorter is inlined");
    // It was deferred: inline, it goes after the table it sorts.
    assert!(
        page.contains("<table class=\"handoffs sortable\">"),
        "a sortable table"
    );
    assert!(script > page.rfind("</table>").expect("table end"));
    assert!(page.contains("<style>"));
}
