//! The logos lexer. Malformed numbers and stray characters are recorded as errors and skipped,
//! so that parsing goes on and every error in a file is reported.

use logos::Logos;

use crate::ast::Span;
use crate::diag::Error;

/// A token.
#[derive(Logos, Clone, Debug, PartialEq, Eq)]
#[logos(skip r"[ \t\r\n\f]+")]
#[logos(skip r"//[^\n]*")]
pub enum Tok {
    #[token("const")]
    Const,
    #[token("macro")]
    Macro,
    #[token("include")]
    Include,
    #[token("jmp")]
    Jmp,
    #[token("call")]
    Call,
    #[token("ret")]
    Ret,
    #[token("halt")]
    Halt,
    #[token("assert")]
    Assert,
    #[token("output")]
    Output,
    #[token("input")]
    Input,
    #[token("advice")]
    Advice,
    #[token("if")]
    If,
    #[token("abs")]
    Abs,
    #[token("rel")]
    Rel,
    #[token("ap")]
    Ap,
    #[token("fp")]
    Fp,
    #[token("++")]
    PlusPlus,
    #[token("+=")]
    PlusEq,
    #[token("==")]
    EqEq,
    #[token("!=")]
    NotEq,
    #[token("=")]
    Eq,
    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("*")]
    Star,
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token(",")]
    Comma,
    #[token(";")]
    Semi,
    #[token(":")]
    Colon,
    /// An identifier (may contain dots: `u32.add`).
    #[regex(r"[A-Za-z_][A-Za-z0-9_.]*", |l| l.slice().to_string())]
    Ident(String),
    /// A number literal (validated by [`lex`]).
    #[regex(r"[0-9][0-9A-Za-z_]*", |l| l.slice().to_string())]
    Number(String),
    /// A string literal, without its quotes.
    #[regex(r#""[^"\n]*""#, |l| { let s = l.slice(); s[1..s.len() - 1].to_string() })]
    Str(String),
}

impl std::fmt::Display for Tok {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = match self {
            Tok::Const => "const",
            Tok::Macro => "macro",
            Tok::Include => "include",
            Tok::Jmp => "jmp",
            Tok::Call => "call",
            Tok::Ret => "ret",
            Tok::Halt => "halt",
            Tok::Assert => "assert",
            Tok::Output => "output",
            Tok::Input => "input",
            Tok::Advice => "advice",
            Tok::If => "if",
            Tok::Abs => "abs",
            Tok::Rel => "rel",
            Tok::Ap => "ap",
            Tok::Fp => "fp",
            Tok::PlusPlus => "++",
            Tok::PlusEq => "+=",
            Tok::EqEq => "==",
            Tok::NotEq => "!=",
            Tok::Eq => "=",
            Tok::Plus => "+",
            Tok::Minus => "-",
            Tok::Star => "*",
            Tok::LParen => "(",
            Tok::RParen => ")",
            Tok::LBracket => "[",
            Tok::RBracket => "]",
            Tok::LBrace => "{",
            Tok::RBrace => "}",
            Tok::Comma => ",",
            Tok::Semi => ";",
            Tok::Colon => ":",
            Tok::Ident(s) | Tok::Number(s) => return write!(f, "{s}"),
            Tok::Str(s) => return write!(f, "\"{s}\""),
        };
        write!(f, "{s}")
    }
}

/// The lexer's error type as lalrpop sees it (never produced: lexical errors are recorded and
/// skipped instead).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexError;

/// A token with its byte span.
pub type Spanned = (usize, Tok, usize);

/// Whether `s` is a well-formed number literal: decimal digits, or `0x` and hex digits.
pub fn valid_number(s: &str) -> bool {
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) => !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()),
        None => s.chars().all(|c| c.is_ascii_digit()),
    }
}

/// Lexes `src`; lexical errors go to `errors`.
pub fn lex(src: &str, file: usize, errors: &mut Vec<Error>) -> Vec<Spanned> {
    let mut out = Vec::new();
    let mut lexer = Tok::lexer(src);
    while let Some(tok) = lexer.next() {
        let span = lexer.span();
        let sp = Span {
            file,
            start: span.start,
            end: span.end,
        };
        match tok {
            Ok(Tok::Number(s)) if !valid_number(&s) => {
                errors.push(Error::new(
                    sp,
                    format!("malformed number `{s}`"),
                    "expected a decimal number or 0x followed by hex digits",
                ));
                out.push((span.start, Tok::Number("0".into()), span.end));
            }
            Ok(t) => out.push((span.start, t, span.end)),
            Err(()) => {
                let text = &src[span.clone()];
                let rest = &src[span.start..];
                // Other languages' comments: one error, and the comment skipped (no cascade).
                let comment = if text == "#" {
                    Some(("`#` does not start a comment in zasm", "\n", 0))
                } else if rest.starts_with("/*") {
                    Some(("zasm has no block comments", "*/", 2))
                } else {
                    None
                };
                if let Some((msg, end, end_len)) = comment {
                    let len = rest.find(end).map_or(rest.len(), |i| i + end_len);
                    lexer.bump(len - text.len());
                    let sp = Span {
                        end: span.start + len,
                        ..sp
                    };
                    errors.push(Error::new(
                        sp,
                        msg,
                        "comments start with `//` and run to the end of the line",
                    ));
                    continue;
                }
                let msg = if text.starts_with('"') {
                    "unterminated string".to_string()
                } else {
                    format!("unexpected character `{text}`")
                };
                errors.push(Error::new(sp, msg, "expected a token of zasm"));
            }
        }
    }
    out
}
