//! zasm private inputs given inline or from a file (`--input @FILE`), run as a user runs them.

mod common;
use common::zkvm;

#[test]
fn input_file_gives_the_same_values_as_inline_inputs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("values.txt");
    // Whitespace, commas and newlines all separate values.
    std::fs::write(&file, "4 10,20\n30\n-1\n").expect("write");
    let at_file = format!("@{}", file.display());
    let inline = zkvm(&[
        "run",
        "examples/zasm/sum.zasm",
        "--input",
        "4",
        "10",
        "20",
        "30",
        "-1",
    ]);
    assert_eq!(inline, (0, "59\n".to_string(), String::new()));
    let from_file = zkvm(&["run", "examples/zasm/sum.zasm", "--input", &at_file]);
    assert_eq!(from_file, inline);
    // Files and values mix, in order.
    let rest = dir.path().join("rest.txt");
    std::fs::write(&rest, "10 20 30 -1").expect("write");
    let at_rest = format!("@{}", rest.display());
    let mixed = zkvm(&["run", "examples/zasm/sum.zasm", "--input", "4", &at_rest]);
    assert_eq!(mixed, inline);
    let (code, out, err) = zkvm(&[
        "compare",
        "examples/zasm/sum.zasm",
        "--input",
        &format!("1={at_file}"),
        "--execute-only",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("public output") && l.ends_with(" 59")),
        "{out}"
    );
}

#[test]
fn bad_input_files_name_the_file_or_the_value() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, "4 1 zz").expect("write");
    let missing = dir.path().join("missing.txt");
    for (file, needle) in [(&bad, "`zz`"), (&missing, "cannot read")] {
        let at_file = format!("@{}", file.display());
        let (code, out, err) = zkvm(&["run", "examples/zasm/sum.zasm", "--input", &at_file]);
        assert_eq!(code, 1, "{err}");
        assert!(out.is_empty());
        assert!(err.contains(&at_file) && err.contains(needle), "{err}");
    }
}

#[test]
fn a_missing_program_is_named_with_the_reason_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("missing.zasm");
    let missing = missing.to_str().unwrap();
    for command in ["prove", "id"] {
        let (code, _, err) = zkvm(&[command, missing]);
        assert_eq!(code, 1, "{err}");
        assert!(err.contains(missing), "{err}");
        assert_eq!(err.matches("No such file").count(), 1, "{err}");
    }
    // A directory that is not a guest crate says so.
    let (code, _, err) = zkvm(&["prove", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("cannot build the guest"), "{err}");
}
