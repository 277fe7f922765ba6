//! The syntax tree produced by the grammar.

use zkvm_isa::{Fr, Reg};

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Span {
    /// Index of the file in the assembler's source table.
    pub file: usize,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The span from `a`'s start to `b`'s end.
    pub fn join(a: Span, b: Span) -> Span {
        Span {
            file: a.file,
            start: a.start,
            end: b.end,
        }
    }
}

/// A binary operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
}

/// An expression; memory operands and registers are expressions too, and the lowering decides
/// which shapes are allowed where.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A literal.
    Num(Fr),
    /// A constant, label or macro parameter.
    Name(String),
    /// `ap` or `fp`.
    Reg(Reg),
    /// `-e`
    Neg(Box<Expr>),
    /// `a op b`
    Bin(BinOp, Box<Expr>, Box<Expr>),
    /// `[e]`
    Mem(Box<Expr>),
}

/// An expression with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it is.
    pub span: Span,
}

/// `abs` or `rel` in jumps and calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JumpMode {
    /// `abs`
    Abs,
    /// `rel`
    Rel,
}

/// An identifier with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    /// The name.
    pub name: String,
    /// Where it is.
    pub span: Span,
}

/// One instruction as written.
#[derive(Clone, Debug, PartialEq)]
pub enum Instr {
    /// `d = e`
    Assign(Expr, Expr),
    /// `d = input`
    Input(Expr),
    /// `d = advice kind(args)`
    Advice(Expr, Ident, Vec<Expr>),
    /// `assert d == e`
    Assert(Expr, Expr),
    /// `output d`
    Output(Expr),
    /// `jmp [abs|rel] t`
    Jmp(Option<JumpMode>, Expr),
    /// `jmp [abs|rel] t if c != z`
    Jnz(Option<JumpMode>, Expr, Expr, Expr),
    /// `call [abs|rel] t`
    Call(Option<JumpMode>, Expr),
    /// `ret`
    Ret,
    /// `halt`
    Halt,
    /// `ap += e`
    ApAdd(Expr),
}

/// One top-level or macro-body item.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// `const N = e;`
    Const(Ident, Expr),
    /// `name:`
    Label(Ident),
    /// `macro name(params) { body }`
    Macro(Ident, Vec<Ident>, Vec<Item>),
    /// `include "path";`
    Include(String, Span),
    /// `name(args);`
    MacroUse(Ident, Vec<Expr>, Span),
    /// An instruction; the flag is `, ap++`.
    Instr(Instr, bool, Span),
    /// A statement that did not parse (already reported).
    Error,
}
