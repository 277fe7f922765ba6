//! Every class of assembly error, pinned by message and `file:line:col`, and the rendered report.

use std::path::PathBuf;

use zkvm_assembler::{assemble_file, assemble_str, Diagnostics};

fn diags(src: &str) -> Diagnostics {
    match assemble_str("t.zasm", src) {
        Ok(_) => panic!("expected errors in:\n{src}"),
        Err(d) => d,
    }
}

/// `(message, location)` of every error.
fn errors(src: &str) -> Vec<(String, String)> {
    let d = diags(src);
    d.errors
        .iter()
        .map(|e| (e.message.clone(), d.location(e.span)))
        .collect()
}

fn one(src: &str) -> (String, String) {
    let e = errors(src);
    assert_eq!(e.len(), 1, "{e:?}");
    e.into_iter().next().expect("one error")
}

fn pair(m: &str, l: &str) -> (String, String) {
    (m.to_string(), l.to_string())
}

#[test]
fn unknown_label_or_constant() {
    assert_eq!(
        one("main:\n    jmp nowhere;\n    halt;\n"),
        pair("unknown label or constant `nowhere`", "t.zasm:2:9")
    );
    assert_eq!(
        one("main:\n    [ap] = N + 1, ap++;\n    halt;\n"),
        pair("unknown label or constant `N`", "t.zasm:2:12")
    );
}

#[test]
fn duplicate_label() {
    let d = diags("main:\n    halt;\nmain:\n    halt;\n");
    assert_eq!(d.errors.len(), 1);
    assert_eq!(d.errors[0].message, "duplicate label `main`");
    assert_eq!(d.location(d.errors[0].span), "t.zasm:3:1");
    assert_eq!(d.location(d.errors[0].secondary[0].0), "t.zasm:1:1");
    let text = d.render_plain();
    assert!(
        text.contains("Error: duplicate label `main` (t.zasm:3:1)"),
        "{text}"
    );
    assert!(text.contains("first defined here"), "{text}");
    assert!(text.contains("defined again here"), "{text}");
}

#[test]
fn offset_out_of_range() {
    assert_eq!(
        one("main:\n    [ap] = [fp + 40000];\n    halt;\n"),
        pair("offset 40000 is out of the 16-bit range", "t.zasm:2:18")
    );
    assert_eq!(
        one("const BIG = 0x8000;\nmain:\n    [ap - BIG - 1] = 1;\n    halt;\n"),
        pair("offset -32769 is out of the 16-bit range", "t.zasm:3:11")
    );
    // The extremes are fine.
    assert!(assemble_str("t.zasm", "main:\n [ap + 32767] = [fp - 32768];\n halt;\n").is_ok());
}

#[test]
fn malformed_number() {
    assert_eq!(
        one("main:\n    [ap] = 12ab;\n    halt;\n"),
        pair("malformed number `12ab`", "t.zasm:2:12")
    );
    assert_eq!(
        one("const A = 0x;\nmain:\n    halt;\n"),
        pair("malformed number `0x`", "t.zasm:1:11")
    );
}

#[test]
fn immediate_where_memory_required() {
    assert_eq!(
        one("main:\n    output 5;\n    halt;\n"),
        pair(
            "immediate where a memory operand is required",
            "t.zasm:2:12"
        )
    );
    assert_eq!(
        one("main:\n    5 = [ap];\n    halt;\n"),
        pair("immediate where a memory operand is required", "t.zasm:2:5")
    );
    assert_eq!(
        one("main:\n    [ap] = 3 * [fp];\n    halt;\n"),
        pair(
            "immediate where a memory operand is required",
            "t.zasm:2:12"
        )
    );
    assert_eq!(
        one("main:\n    jmp main if 1 != 0;\n    halt;\n"),
        pair(
            "immediate where a memory operand is required",
            "t.zasm:2:17"
        )
    );
}

#[test]
fn unknown_instruction() {
    let d = diags("main:\n    mov [ap], 5;\n    halt;\n");
    assert_eq!(d.errors.len(), 1);
    assert_eq!(d.errors[0].message, "unknown instruction `mov`");
    assert_eq!(d.location(d.errors[0].span), "t.zasm:2:5");
    assert!(d.render_plain().contains("expected an instruction"));
    assert_eq!(
        one("main:\n    nop;\n    halt;\n"),
        pair("unknown instruction `nop`", "t.zasm:2:5")
    );
}

#[test]
fn bad_macro_use() {
    assert_eq!(
        one("main:\n    push(1);\n    halt;\n"),
        pair("unknown macro `push`", "t.zasm:2:5")
    );
    let src = "macro push(x) {\n    [ap] = x, ap++;\n}\nmain:\n    push(1, 2);\n    halt;\n";
    let d = diags(src);
    assert_eq!(d.errors.len(), 1);
    assert_eq!(
        d.errors[0].message,
        "macro `push` takes 1 argument, 2 given"
    );
    assert_eq!(d.location(d.errors[0].span), "t.zasm:5:5");
    assert_eq!(d.location(d.errors[0].secondary[0].0), "t.zasm:1:7");
    assert_eq!(
        one("macro a() {\n    a();\n}\nmain:\n    a();\n    halt;\n"),
        pair("recursive use of macro `a`", "t.zasm:2:5")
    );
    // An error inside a macro body points into the body.
    assert_eq!(
        one("macro put(x) {\n    [ap] = x, ap++;\n}\nmain:\n    put(missing);\n    halt;\n"),
        pair("unknown label or constant `missing`", "t.zasm:5:9")
    );
}

fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("zkvm-zasm-errors-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

#[test]
fn missing_include() {
    assert_eq!(
        one("include \"nope.zasm\";\nmain:\n    halt;\n"),
        pair("cannot find include `nope.zasm`", "t.zasm:1:9")
    );
    assert_eq!(
        one("include \"std/nope.zasm\";\nmain:\n    halt;\n"),
        pair("cannot find include `std/nope.zasm`", "t.zasm:1:9")
    );
}

#[test]
fn cyclic_include() {
    let dir = temp_dir("cycle");
    std::fs::write(
        dir.join("a.zasm"),
        "include \"b.zasm\";\nmain:\n    halt;\n",
    )
    .expect("write");
    std::fs::write(dir.join("b.zasm"), "// b\ninclude \"a.zasm\";\n").expect("write");
    let d = assemble_file(&dir.join("a.zasm")).expect_err("cycle");
    assert_eq!(d.errors.len(), 1, "{}", d.render_plain());
    assert_eq!(d.errors[0].message, "cyclic include of `a.zasm`");
    let loc = d.location(d.errors[0].span);
    assert!(loc.ends_with("b.zasm:2:9"), "{loc}");
    let note = d.errors[0].note.clone().expect("note");
    assert!(
        note.contains("a.zasm -> ") && note.contains("b.zasm -> "),
        "{note}"
    );
}

#[test]
fn local_includes_are_relative_to_the_including_file() {
    let dir = temp_dir("rel");
    std::fs::create_dir_all(dir.join("lib")).expect("dir");
    std::fs::write(
        dir.join("lib/one.zasm"),
        "include \"two.zasm\";\nconst ONE = TWO - 1;\n",
    )
    .expect("write");
    std::fs::write(dir.join("lib/two.zasm"), "const TWO = 2;\n").expect("write");
    std::fs::write(
        dir.join("main.zasm"),
        "include \"lib/one.zasm\";\ninclude \"std/field.zasm\";\nmain:\n    [ap] = ONE, ap++;\n    call inv;\n    output [ap - 1];\n    halt;\n",
    )
    .expect("write");
    let p =
        assemble_file(&dir.join("main.zasm")).unwrap_or_else(|d| panic!("{}", d.render_plain()));
    let ex = zkvm_vm::run(&p, &[], &zkvm_vm::RunConfig::default()).expect("run");
    assert_eq!(ex.output, vec![zkvm_isa::Fr::from(1u64)]);
}

#[test]
fn syntax_error_says_what_was_expected() {
    let d = diags("main:\n    [ap] = ;\n    halt;\n");
    assert_eq!(d.errors.len(), 1);
    assert_eq!(d.errors[0].message, "unexpected `;`");
    assert_eq!(d.location(d.errors[0].span), "t.zasm:2:12");
    assert!(
        d.errors[0].label.starts_with("expected one of"),
        "{}",
        d.errors[0].label
    );
    assert!(
        d.errors[0].label.contains("`input`"),
        "{}",
        d.errors[0].label
    );
}

#[test]
fn several_errors_are_all_reported() {
    let src = "const A = 0x;\nmain:\n    [ap] = [fp + 40000], ap++;\n    jmp nowhere;\nmain:\n    mov [ap], 5;\n    output 5;\n    foo(1);\n    halt;\n";
    let mut got = errors(src);
    got.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(
        got,
        vec![
            pair("malformed number `0x`", "t.zasm:1:11"),
            pair("offset 40000 is out of the 16-bit range", "t.zasm:3:18"),
            pair("unknown label or constant `nowhere`", "t.zasm:4:9"),
            pair("duplicate label `main`", "t.zasm:5:1"),
            pair("unknown instruction `mov`", "t.zasm:6:5"),
            pair(
                "immediate where a memory operand is required",
                "t.zasm:7:12"
            ),
            pair("unknown macro `foo`", "t.zasm:8:5"),
        ]
    );
    let text = diags(src).render_plain();
    assert_eq!(text.matches("Error:").count(), 7, "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "no colour codes when not a terminal"
    );
}

#[test]
fn missing_main() {
    assert_eq!(
        one("start:\n    halt;\n"),
        pair("no `main` label", "t.zasm:1:1")
    );
}

#[test]
fn misc_operand_errors() {
    assert_eq!(
        one("main:\n    [ap] = [fp] - [ap];\n    halt;\n"),
        pair("cannot subtract a memory operand", "t.zasm:2:19")
    );
    assert_eq!(
        one("main:\n    [ap] = [fp] + [[ap] + 1];\n    halt;\n"),
        pair(
            "a double dereference must go through the left operand",
            "t.zasm:2:19"
        )
    );
    assert_eq!(
        one("main:\n    ret, ap++;\n"),
        pair("`, ap++` is not allowed on `ret`", "t.zasm:2:5")
    );
    assert_eq!(
        one("main:\n    [ap] = advice cube([fp]);\n    halt;\n"),
        pair("unknown advice `cube`", "t.zasm:2:19")
    );
}

#[test]
fn other_languages_comments_are_one_error_each() {
    assert_eq!(
        one("# a comment\nmain:\n    halt;\n"),
        pair("`#` does not start a comment in zasm", "t.zasm:1:1")
    );
    assert_eq!(
        one("main:\n    /* two\n lines */ halt;\n"),
        pair("zasm has no block comments", "t.zasm:2:5")
    );
    let rendered = diags("main:\n    halt; # trailing\n").render();
    assert!(rendered.contains("comments start with `//`"), "{rendered}");
}

#[test]
fn an_unknown_register_is_named() {
    assert_eq!(
        one("main:\n    [sp] = 1, ap++;\n    halt;\n"),
        pair("unknown register `sp`", "t.zasm:2:5")
    );
    assert_eq!(
        one("main:\n    [ap] = [sp + 2], ap++;\n    halt;\n"),
        pair("unknown register `sp`", "t.zasm:2:12")
    );
}

#[test]
fn constants_around_a_memory_operand_are_folded() {
    let words = |src: &str| {
        assemble_str("t.zasm", src)
            .unwrap_or_else(|d| panic!("{}", d.render()))
            .words()
    };
    let folded = words(
        "const BASE = 1000;\nmain:\n    [ap] = [ap - 1] + BASE * 2 - 1000, ap++;\n    [ap] = 5 + [fp] - 2;\n    halt;\n",
    );
    let canonical =
        words("main:\n    [ap] = [ap - 1] + 1000, ap++;\n    [ap] = [fp] + 3;\n    halt;\n");
    assert_eq!(folded, canonical);
    // A subtracted memory operand cannot be folded into one instruction.
    let (message, _) = one("main:\n    [ap] = 5 - [fp], ap++;\n    halt;\n");
    assert!(
        message.contains("subtract") || message.contains("too complex"),
        "{message}"
    );
}
