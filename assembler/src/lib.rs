//! The `.zasm` assembler: logos lexer, lalrpop grammar, ariadne diagnostics.
//!
//! ```text
//!   .zasm text ──lexer (logos)──► tokens ──grammar (lalrpop)──► ast::Item
//!        ──expand (includes, macros)──► flat items ──lower──► zkvm_isa::Program
//! ```
//!
//! [`assemble_file`] and [`assemble_str`] return a [`zkvm_isa::Program`] (with debug info: a
//! `file:line:col` per instruction) or [`Diagnostics`]: every error found in the file, each with a
//! span, rendered by ariadne ([`Diagnostics::render`]). `include "std/…";` reads the standard
//! library embedded in `zkvm-stdlib`; other includes are relative to the including file.
//! The language is described in `examples/zasm/README.md` and `isa/README.md`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use ark_ff::Zero;
use lalrpop_util::{lalrpop_mod, ErrorRecovery, ParseError};
use zkvm_isa::{
    fr_to_i64, AdviceKind, ApUpdate, DebugInfo, Fr, Instruction, Op1Src, Opcode, PcUpdate, Program,
    Reg, Res, SourceLoc,
};

pub mod ast;
mod diag;
mod lexer;

lalrpop_mod!(
    #[allow(clippy::all, clippy::pedantic, missing_docs)]
    grammar
);

use ast::{BinOp, Expr, ExprKind, Ident, Instr, Item, JumpMode, Span};
pub use diag::{line_col, Diagnostics, Error};
use lexer::{LexError, Tok};

/// Parses a well-formed number literal (decimal or `0x` hex) into the field, reducing mod p.
/// Malformed literals were already reported by the lexer; they parse as 0.
pub fn parse_number(s: &str) -> Fr {
    let (digits, radix) = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) => (h, 16u32),
        None => (s, 10u32),
    };
    let base = Fr::from(u64::from(radix));
    let mut acc = Fr::zero();
    for c in digits.chars() {
        match c.to_digit(radix) {
            Some(d) => acc = acc * base + Fr::from(u64::from(d)),
            None => return Fr::zero(),
        }
    }
    acc
}

/// Assembles the file at `path`.
pub fn assemble_file(path: &Path) -> Result<Program, Diagnostics> {
    let mut asm = Assembler::default();
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let key = canonical_key(path);
            asm.load(
                key,
                path.display().to_string(),
                text,
                path.parent().map(Path::to_path_buf),
            );
        }
        Err(e) => {
            asm.sources
                .push((path.display().to_string(), String::new()));
            asm.errors.push(Error::new(
                Span::default(),
                format!("cannot read {}: {e}", path.display()),
                "here",
            ));
        }
    }
    asm.finish()
}

/// Assembles source text; `name` is used in messages, and includes are relative to its directory.
pub fn assemble_str(name: &str, src: &str) -> Result<Program, Diagnostics> {
    let mut asm = Assembler::default();
    let dir = Path::new(name).parent().map(Path::to_path_buf);
    asm.load(
        format!("<str>{name}"),
        name.to_string(),
        src.to_string(),
        dir,
    );
    asm.finish()
}

fn canonical_key(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

/// A macro definition.
struct MacroDef {
    name: Ident,
    params: Vec<Ident>,
    body: Vec<Item>,
}

/// Name substitutions active inside a macro expansion.
#[derive(Default, Clone)]
struct Env {
    args: HashMap<String, Expr>,
    renames: HashMap<String, String>,
}

impl Env {
    fn subst(&self, e: &Expr) -> Expr {
        let kind = match &e.kind {
            ExprKind::Name(n) => {
                if let Some(a) = self.args.get(n) {
                    return a.clone();
                }
                match self.renames.get(n) {
                    Some(r) => ExprKind::Name(r.clone()),
                    None => ExprKind::Name(n.clone()),
                }
            }
            ExprKind::Neg(a) => ExprKind::Neg(Box::new(self.subst(a))),
            ExprKind::Bin(op, a, b) => {
                ExprKind::Bin(*op, Box::new(self.subst(a)), Box::new(self.subst(b)))
            }
            ExprKind::Mem(a) => ExprKind::Mem(Box::new(self.subst(a))),
            k => k.clone(),
        };
        Expr { kind, span: e.span }
    }

    fn rename(&self, n: &Ident) -> Ident {
        Ident {
            name: self
                .renames
                .get(&n.name)
                .cloned()
                .unwrap_or_else(|| n.name.clone()),
            span: n.span,
        }
    }

    fn subst_instr(&self, i: &Instr) -> Instr {
        let s = |e: &Expr| self.subst(e);
        match i {
            Instr::Assign(d, e) => Instr::Assign(s(d), s(e)),
            Instr::Input(d) => Instr::Input(s(d)),
            Instr::Advice(d, k, a) => Instr::Advice(s(d), k.clone(), a.iter().map(s).collect()),
            Instr::Assert(d, e) => Instr::Assert(s(d), s(e)),
            Instr::Output(d) => Instr::Output(s(d)),
            Instr::Jmp(m, t) => Instr::Jmp(*m, s(t)),
            Instr::Jnz(m, t, c, z) => Instr::Jnz(*m, s(t), s(c), s(z)),
            Instr::Call(m, t) => Instr::Call(*m, s(t)),
            Instr::Ret => Instr::Ret,
            Instr::Halt => Instr::Halt,
            Instr::ApAdd(e) => Instr::ApAdd(s(e)),
        }
    }
}

/// An item after includes and macros are expanded.
enum Flat {
    Label(Ident),
    Const(Ident, Expr),
    Instr(Instr, bool, Span),
}

#[derive(Default)]
struct Assembler {
    sources: Vec<(String, String)>,
    errors: Vec<Error>,
    include_stack: Vec<(String, String)>,
    included: HashSet<String>,
    macros: HashMap<String, Rc<MacroDef>>,
    macro_stack: Vec<String>,
    expansions: usize,
    flat: Vec<Flat>,
}

/// A memory operand `[reg + off]`.
type MemOp = (Reg, i16);

/// An `op1` operand.
#[derive(Clone, Copy)]
enum Op1 {
    Imm(Fr),
    Mem(MemOp),
    Deref(MemOp, i16),
}

/// Resolution state for constants and labels.
struct Symbols {
    labels: HashMap<String, (u32, Span)>,
    consts: HashMap<String, (Expr, Span)>,
    values: HashMap<String, Option<Fr>>,
}

fn describe_expected(expected: &[String]) -> String {
    let items: Vec<String> = expected
        .iter()
        .map(|e| match e.as_str() {
            "IDENT" => "a name".to_string(),
            "NUMBER" => "a number".to_string(),
            "STRING" => "a string".to_string(),
            s => format!("`{}`", s.trim_matches('"')),
        })
        .collect();
    match items.len() {
        0 => "something else".into(),
        1 => format!("expected {}", items[0]),
        _ => format!("expected one of {}", items.join(", ")),
    }
}

impl Assembler {
    fn load(&mut self, key: String, name: String, text: String, dir: Option<PathBuf>) {
        let file = self.sources.len();
        self.sources.push((name.clone(), text));
        self.included.insert(key.clone());
        self.include_stack.push((key, name));
        let items = self.parse(file);
        self.expand(&items, &Env::default(), file, dir.as_deref());
        self.include_stack.pop();
    }

    fn parse(&mut self, file: usize) -> Vec<Item> {
        let text = self.sources[file].1.clone();
        let toks = lexer::lex(&text, file, &mut self.errors);
        let mut recovered: Vec<ErrorRecovery<usize, Tok, LexError>> = Vec::new();
        let result = grammar::ItemsParser::new().parse(
            file,
            &mut recovered,
            toks.iter().cloned().map(Ok::<_, LexError>),
        );
        for r in std::mem::take(&mut recovered) {
            self.parse_error(r.error, &toks, file);
        }
        match result {
            Ok(items) => items,
            Err(e) => {
                self.parse_error(e, &toks, file);
                Vec::new()
            }
        }
    }

    fn parse_error(
        &mut self,
        e: ParseError<usize, Tok, LexError>,
        toks: &[lexer::Spanned],
        file: usize,
    ) {
        let span = |s, e| Span {
            file,
            start: s,
            end: e,
        };
        let err = match e {
            ParseError::UnrecognizedToken {
                token: (l, t, r),
                expected,
            } => self.unknown_instruction(toks, l, file).unwrap_or_else(|| {
                Error::new(
                    span(l, r),
                    format!("unexpected `{t}`"),
                    describe_expected(&expected),
                )
            }),
            ParseError::UnrecognizedEof { location, expected } => Error::new(
                span(location, location),
                "unexpected end of file",
                describe_expected(&expected),
            ),
            ParseError::InvalidToken { location } => Error::new(
                span(location, location + 1),
                "invalid token",
                "expected a token of zasm",
            ),
            ParseError::ExtraToken { token: (l, t, r) } => Error::new(
                span(l, r),
                format!("unexpected `{t}`"),
                "expected the end of the file",
            ),
            ParseError::User { .. } => Error::new(span(0, 0), "lexical error", "here"),
        };
        self.errors.push(err);
    }

    /// A statement that starts with a name not followed by `=`, `:`, `(` or an operator is an
    /// unknown instruction.
    fn unknown_instruction(
        &self,
        toks: &[lexer::Spanned],
        at: usize,
        file: usize,
    ) -> Option<Error> {
        let i = toks.iter().position(|t| t.0 == at)?;
        let mut start = i;
        while start > 0
            && !matches!(
                toks[start - 1].1,
                Tok::Semi | Tok::LBrace | Tok::RBrace | Tok::Colon
            )
        {
            start -= 1;
        }
        let (l, Tok::Ident(name), r) = &toks[start] else {
            return None;
        };
        if start + 1 != i
            || matches!(
                toks[i].1,
                Tok::Eq | Tok::Colon | Tok::LParen | Tok::Plus | Tok::Minus | Tok::Star
            )
        {
            return None;
        }
        Some(
            Error::new(
                Span { file, start: *l, end: *r },
                format!("unknown instruction `{name}`"),
                "expected an instruction, a label (`name:`) or a macro use (`name(...)`)",
            )
            .with_note(
                "instructions: `[d] = ...`, `assert`, `jmp`, `call`, `ret`, `ap += ...`, `output`, `halt`",
            ),
        )
    }

    fn expand(&mut self, items: &[Item], env: &Env, file: usize, dir: Option<&Path>) {
        for item in items {
            match item {
                Item::Const(n, e) => self.flat.push(Flat::Const(env.rename(n), env.subst(e))),
                Item::Label(n) => self.flat.push(Flat::Label(env.rename(n))),
                Item::Macro(n, params, body) => {
                    if !self.macro_stack.is_empty() {
                        self.errors.push(Error::new(
                            n.span,
                            format!("macro `{}` defined inside a macro", n.name),
                            "macros can only be defined at the top level of a file",
                        ));
                    } else if let Some(prev) = self.macros.get(&n.name) {
                        self.errors.push(
                            Error::new(
                                n.span,
                                format!("duplicate macro `{}`", n.name),
                                "defined again here",
                            )
                            .with_secondary(prev.name.span, "first defined here"),
                        );
                    } else {
                        self.macros.insert(
                            n.name.clone(),
                            Rc::new(MacroDef {
                                name: n.clone(),
                                params: params.clone(),
                                body: body.clone(),
                            }),
                        );
                    }
                }
                Item::Include(path, span) => self.include(path, *span, file, dir),
                Item::MacroUse(n, args, span) => self.use_macro(n, args, *span, env, file, dir),
                Item::Instr(i, inc, span) => {
                    self.flat.push(Flat::Instr(env.subst_instr(i), *inc, *span))
                }
                Item::Error => {}
            }
        }
    }

    fn use_macro(
        &mut self,
        n: &Ident,
        args: &[Expr],
        span: Span,
        env: &Env,
        file: usize,
        dir: Option<&Path>,
    ) {
        let Some(def) = self.macros.get(&n.name).cloned() else {
            let mut known: Vec<&String> = self.macros.keys().collect();
            known.sort();
            let err = Error::new(
                n.span,
                format!("unknown macro `{}`", n.name),
                "no macro of this name is defined before this use",
            );
            self.errors.push(if known.is_empty() {
                err
            } else {
                err.with_note(format!(
                    "macros defined so far: {}",
                    known
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            });
            return;
        };
        if args.len() != def.params.len() {
            self.errors.push(
                Error::new(
                    span,
                    format!(
                        "macro `{}` takes {} argument{}, {} given",
                        n.name,
                        def.params.len(),
                        if def.params.len() == 1 { "" } else { "s" },
                        args.len()
                    ),
                    format!(
                        "expected {} argument{}",
                        def.params.len(),
                        if def.params.len() == 1 { "" } else { "s" }
                    ),
                )
                .with_secondary(def.name.span, "macro defined here"),
            );
            return;
        }
        if self.macro_stack.contains(&n.name) {
            self.errors.push(
                Error::new(
                    n.span,
                    format!("recursive use of macro `{}`", n.name),
                    format!("`{}` is already being expanded here", n.name),
                )
                .with_note(format!(
                    "expansion stack: {} -> {}",
                    self.macro_stack.join(" -> "),
                    n.name
                )),
            );
            return;
        }
        self.expansions += 1;
        let mut new_env = Env::default();
        for (p, a) in def.params.iter().zip(args) {
            new_env.args.insert(p.name.clone(), env.subst(a));
        }
        for item in &def.body {
            if let Item::Label(l) | Item::Const(l, _) = item {
                new_env.renames.insert(
                    l.name.clone(),
                    format!("{}#{}.{}", def.name.name, self.expansions, l.name),
                );
            }
        }
        self.macro_stack.push(n.name.clone());
        self.expand(&def.body, &new_env, file, dir);
        self.macro_stack.pop();
    }

    fn include(&mut self, path: &str, span: Span, file: usize, dir: Option<&Path>) {
        let including_std = self.sources[file].0.starts_with("std/");
        let (key, name, text, next_dir) =
            if let Some(rest) = path.strip_prefix("std/").or(including_std.then_some(path)) {
                let name = format!("std/{rest}");
                match zkvm_stdlib::get(&name) {
                    Some(t) => (name.clone(), name, t.to_string(), None),
                    None => {
                        let known = zkvm_stdlib::FILES
                            .iter()
                            .map(|(n, _)| *n)
                            .collect::<Vec<_>>()
                            .join(", ");
                        self.errors.push(
                            Error::new(
                                span,
                                format!("cannot find include `{path}`"),
                                "no such file in the standard library",
                            )
                            .with_note(format!("the standard library has: {known}")),
                        );
                        return;
                    }
                }
            } else {
                let full = match dir {
                    Some(d) => d.join(path),
                    None => PathBuf::from(path),
                };
                match std::fs::read_to_string(&full) {
                    Ok(t) => (
                        canonical_key(&full),
                        full.display().to_string(),
                        t,
                        full.parent().map(Path::to_path_buf),
                    ),
                    Err(e) => {
                        self.errors.push(Error::new(
                            span,
                            format!("cannot find include `{path}`"),
                            format!("cannot read {}: {e}", full.display()),
                        ));
                        return;
                    }
                }
            };
        if let Some(pos) = self.include_stack.iter().position(|(k, _)| *k == key) {
            let chain: Vec<&str> = self.include_stack[pos..]
                .iter()
                .map(|(_, n)| n.as_str())
                .collect();
            self.errors.push(
                Error::new(
                    span,
                    format!("cyclic include of `{path}`"),
                    "this include closes a cycle",
                )
                .with_note(format!("include chain: {} -> {name}", chain.join(" -> "))),
            );
            return;
        }
        if self.included.contains(&key) {
            return; // each file is included once
        }
        self.load(key, name, text, next_dir);
    }

    fn finish(mut self) -> Result<Program, Diagnostics> {
        let flat = std::mem::take(&mut self.flat);
        let mut syms = Symbols {
            labels: HashMap::new(),
            consts: HashMap::new(),
            values: HashMap::new(),
        };
        let mut label_list = Vec::new();
        let mut pc = 0u32;
        for f in &flat {
            match f {
                Flat::Label(n) => {
                    if self.is_new(&syms, n, "label") {
                        syms.labels.insert(n.name.clone(), (pc, n.span));
                        label_list.push((n.name.clone(), pc));
                    }
                }
                Flat::Const(n, e) => {
                    if self.is_new(&syms, n, "constant") {
                        syms.consts.insert(n.name.clone(), (e.clone(), n.span));
                    }
                }
                Flat::Instr(..) => pc += 1,
            }
        }
        // Evaluate every constant once, so that errors in definitions are reported once.
        let mut names: Vec<(String, usize, usize)> = syms
            .consts
            .iter()
            .map(|(k, (_, s))| (k.clone(), s.file, s.start))
            .collect();
        names.sort_by_key(|(_, f, s)| (*f, *s));
        for (n, _, _) in names {
            self.const_value(&mut syms, &n, &mut Vec::new());
        }
        let mut instructions = Vec::new();
        let mut locs = Vec::new();
        for f in &flat {
            if let Flat::Instr(i, inc, span) = f {
                let pc = instructions.len() as u32;
                match self.lower(&mut syms, i, *inc, *span, pc) {
                    Ok(ins) => instructions.push(ins),
                    Err(e) => {
                        // An empty message marks an error already reported elsewhere.
                        if !e.message.is_empty() {
                            self.errors.push(e);
                        }
                        instructions.push(Instruction::DEFAULT);
                    }
                }
                let text = &self.sources[span.file].1;
                let (line, col) = line_col(text, span.start);
                locs.push(SourceLoc {
                    file: span.file as u32,
                    line,
                    col,
                });
            }
        }
        let entry = match syms.labels.get("main") {
            Some((pc, span)) if (*pc as usize) < instructions.len() => Some(*pc),
            Some((_, span)) => {
                self.errors.push(Error::new(
                    *span,
                    "`main` has no instruction after it",
                    "expected instructions after `main:`",
                ));
                None
            }
            None => {
                self.errors.push(
                    Error::new(
                        Span::default(),
                        "no `main` label",
                        "execution starts at the label `main`",
                    )
                    .with_note("add `main:` before the first instruction to run"),
                );
                None
            }
        };
        if !self.errors.is_empty() {
            return Err(Diagnostics {
                errors: self.errors,
                sources: self.sources,
            });
        }
        let files = self.sources.iter().map(|(n, _)| n.clone()).collect();
        Ok(Program {
            instructions,
            entry: entry.unwrap_or(0),
            debug: Some(DebugInfo {
                files,
                locs,
                labels: label_list,
            }),
        })
    }

    /// Whether `n` names nothing yet; else reports it as a duplicate `what` (label or constant).
    fn is_new(&mut self, syms: &Symbols, n: &Ident, what: &str) -> bool {
        let Some(prev) = self.defined_at(syms, &n.name) else {
            return true;
        };
        self.errors.push(
            Error::new(
                n.span,
                format!("duplicate {what} `{}`", n.name),
                "defined again here",
            )
            .with_secondary(prev, "first defined here"),
        );
        false
    }

    fn defined_at(&self, syms: &Symbols, name: &str) -> Option<Span> {
        syms.labels
            .get(name)
            .map(|(_, s)| *s)
            .or_else(|| syms.consts.get(name).map(|(_, s)| *s))
    }

    fn const_value(
        &mut self,
        syms: &mut Symbols,
        name: &str,
        visiting: &mut Vec<String>,
    ) -> Option<Fr> {
        if let Some(v) = syms.values.get(name) {
            return *v;
        }
        let (expr, span) = syms.consts.get(name)?.clone();
        if visiting.iter().any(|v| v == name) {
            self.errors.push(
                Error::new(
                    span,
                    format!("constant `{name}` is defined in terms of itself"),
                    "cyclic definition",
                )
                .with_note(format!("cycle: {} -> {name}", visiting.join(" -> "))),
            );
            syms.values.insert(name.to_string(), None);
            return None;
        }
        visiting.push(name.to_string());
        let v = match self.eval(syms, &expr, visiting) {
            Ok(v) => Some(v),
            Err(Some(e)) => {
                self.errors.push(e);
                None
            }
            Err(None) => None,
        };
        visiting.pop();
        syms.values.insert(name.to_string(), v);
        v
    }

    /// Evaluates a constant expression. `Err(None)` means "already reported".
    fn eval(
        &mut self,
        syms: &mut Symbols,
        e: &Expr,
        visiting: &mut Vec<String>,
    ) -> Result<Fr, Option<Error>> {
        match &e.kind {
            ExprKind::Num(v) => Ok(*v),
            ExprKind::Name(n) => {
                if syms.consts.contains_key(n) {
                    return self.const_value(syms, n, visiting).ok_or(None);
                }
                if let Some((pc, _)) = syms.labels.get(n) {
                    return Ok(Fr::from(*pc));
                }
                Err(Some(Error::new(
                    e.span,
                    format!("unknown label or constant `{}`", display_name(n)),
                    "not defined anywhere",
                )))
            }
            ExprKind::Neg(a) => Ok(-self.eval(syms, a, visiting)?),
            ExprKind::Bin(op, a, b) => {
                let (x, y) = (self.eval(syms, a, visiting)?, self.eval(syms, b, visiting)?);
                Ok(match op {
                    BinOp::Add => x + y,
                    BinOp::Sub => x - y,
                    BinOp::Mul => x * y,
                })
            }
            ExprKind::Reg(_) | ExprKind::Mem(_) => Err(Some(Error::new(
                e.span,
                "memory operand where a constant is expected",
                "expected a constant expression",
            ))),
        }
    }

    fn eval_err(&mut self, syms: &mut Symbols, e: &Expr) -> Result<Fr, Error> {
        match self.eval(syms, e, &mut Vec::new()) {
            Ok(v) => Ok(v),
            Err(Some(err)) => Err(err),
            Err(None) => Err(Error::new(e.span, "", "")), // marker: already reported
        }
    }

    fn offset(&mut self, syms: &mut Symbols, e: &Expr, negate: bool) -> Result<i16, Error> {
        let mut v = self.eval_err(syms, e)?;
        if negate {
            v = -v;
        }
        let shown = fr_to_i64(&v).map_or_else(|| zkvm_isa::fmt_fr(&v), |x| x.to_string());
        fr_to_i64(&v)
            .and_then(|x| i16::try_from(x).ok())
            .ok_or_else(|| {
                Error::new(
                    e.span,
                    format!("offset {shown} is out of the 16-bit range"),
                    "offsets must lie in [-32768, 32767]",
                )
            })
    }

    /// `[ap + k]`, `[fp - k]`, `[ap]` (not a double dereference).
    fn mem(&mut self, syms: &mut Symbols, e: &Expr) -> Result<MemOp, Error> {
        if is_const(e) {
            return Err(Error::new(
                e.span,
                "immediate where a memory operand is required",
                "expected a memory operand such as `[ap - 1]` or `[fp + 2]`",
            ));
        }
        let ExprKind::Mem(inner) = &e.kind else {
            return Err(Error::new(
                e.span,
                "expected a memory operand",
                "expected `[ap + k]` or `[fp + k]`",
            ));
        };
        let mut terms = Vec::new();
        if let Some(r) = split_reg(inner, false, &mut terms) {
            if let (Some(first), Some(last)) = (terms.first(), terms.last()) {
                let span = Span::join(first.1.span, last.1.span);
                let mut total = Fr::zero();
                for (neg, t) in &terms {
                    let v = self.eval_err(syms, t)?;
                    total += if *neg { -v } else { v };
                }
                let off = Expr {
                    kind: ExprKind::Num(total),
                    span,
                };
                return Ok((r, self.offset(syms, &off, false)?));
            }
            return Ok((r, 0));
        }
        match &inner.kind {
            ExprKind::Reg(r) => Ok((*r, 0)),
            _ if has_mem(inner) => Err(Error::new(
                e.span,
                "double dereference not allowed here",
                "only the right-hand operand (op1) may be `[[reg + k] + j]`",
            )),
            _ => match leftmost_name(inner) {
                Some(name)
                    if !syms.consts.contains_key(name) && !syms.labels.contains_key(name) =>
                {
                    Err(Error::new(
                        e.span,
                        format!("unknown register `{name}`"),
                        "zasm's registers are `ap` and `fp`: expected `[ap + k]` or `[fp + k]`",
                    ))
                }
                _ => Err(Error::new(
                    e.span,
                    "malformed memory operand",
                    "expected `[ap + k]` or `[fp + k]`",
                )),
            },
        }
    }

    fn op1(&mut self, syms: &mut Symbols, e: &Expr) -> Result<Op1, Error> {
        if is_const(e) {
            return Ok(Op1::Imm(self.eval_err(syms, e)?));
        }
        if let ExprKind::Mem(inner) = &e.kind {
            match &inner.kind {
                ExprKind::Mem(_) => return Ok(Op1::Deref(self.mem(syms, inner)?, 0)),
                ExprKind::Bin(op @ (BinOp::Add | BinOp::Sub), a, b)
                    if matches!(a.kind, ExprKind::Mem(_)) =>
                {
                    let base = self.mem(syms, a)?;
                    if !is_const(b) {
                        return Err(Error::new(
                            b.span,
                            "the offset must be a constant",
                            "expected a constant expression",
                        ));
                    }
                    return Ok(Op1::Deref(base, self.offset(syms, b, *op == BinOp::Sub)?));
                }
                _ => {}
            }
        }
        Ok(Op1::Mem(self.mem(syms, e)?))
    }

    /// A sum of one memory operand and constants, in any order (`[ap - 1] + BASE * 2 - 1000`,
    /// `5 + [fp]`), as `[x] + k` with the constants folded, as Cairo re-associates them; `None`
    /// for any other shape (left for [`Assembler::res`] to accept or report).
    fn reassociate(&mut self, syms: &mut Symbols, e: &Expr) -> Result<Option<Expr>, Error> {
        if is_const(e) || !matches!(e.kind, ExprKind::Bin(BinOp::Add | BinOp::Sub, ..)) {
            return Ok(None);
        }
        let mut terms = Vec::new();
        flatten_sum(e, false, &mut terms);
        let (vars, consts): (Vec<_>, Vec<_>) = terms.iter().partition(|(_, t)| !is_const(t));
        let [(false, var)] = vars[..] else {
            return Ok(None);
        };
        let already_canonical = terms.len() == 2 && std::ptr::eq(terms[0].1, var);
        if already_canonical {
            return Ok(None);
        }
        let mut k = Fr::zero();
        for (neg, t) in &consts {
            let v = self.eval_err(syms, t)?;
            k += if *neg { -v } else { v };
        }
        let span = consts
            .iter()
            .map(|(_, t)| t.span)
            .reduce(|a, b| Span {
                file: a.file,
                start: a.start.min(b.start),
                end: a.end.max(b.end),
            })
            .unwrap_or(e.span);
        Ok(Some(Expr {
            kind: ExprKind::Bin(
                BinOp::Add,
                Box::new(var.clone()),
                Box::new(Expr {
                    kind: ExprKind::Num(k),
                    span,
                }),
            ),
            span: e.span,
        }))
    }

    /// The right-hand side of an assignment or assertion.
    fn res(&mut self, syms: &mut Symbols, e: &Expr) -> Result<(Res, Option<MemOp>, Op1), Error> {
        let folded = self.reassociate(syms, e)?;
        let e = folded.as_ref().unwrap_or(e);
        if let ExprKind::Bin(op, a, b) = &e.kind {
            if !is_const(e) {
                let (res, op1) = match op {
                    BinOp::Add => (Res::Add, self.op1(syms, b)?),
                    BinOp::Mul => (Res::Mul, self.op1(syms, b)?),
                    BinOp::Sub => {
                        if !is_const(b) {
                            return Err(Error::new(
                                b.span,
                                "cannot subtract a memory operand",
                                "expected a constant: `[x] - k` is `[x] + (-k)`; multiply by -1 first",
                            ));
                        }
                        (Res::Add, Op1::Imm(-self.eval_err(syms, b)?))
                    }
                };
                let op0 = self.mem(syms, a).map_err(|err| {
                    if err.message.starts_with("double dereference") || is_const(a) {
                        err
                    } else {
                        Error::new(
                            e.span,
                            "expression too complex for one instruction",
                            "expected `[op0] + op1`, `[op0] * op1` or a single operand",
                        )
                    }
                })?;
                if let Op1::Deref(inner, _) = op1 {
                    if inner != op0 {
                        return Err(Error::new(
                            b.span,
                            "a double dereference must go through the left operand",
                            "expected `[[x] + k]` where `[x]` is the left operand",
                        ));
                    }
                }
                return Ok((res, Some(op0), op1));
            }
        }
        let op1 = self.op1(syms, e)?;
        let op0 = match op1 {
            Op1::Deref(inner, _) => Some(inner),
            _ => None,
        };
        Ok((Res::Op1, op0, op1))
    }

    fn lower(
        &mut self,
        syms: &mut Symbols,
        i: &Instr,
        inc: bool,
        span: Span,
        pc: u32,
    ) -> Result<Instruction, Error> {
        let mut ins = Instruction::DEFAULT;
        let set_dst = |ins: &mut Instruction, (r, o): MemOp| {
            ins.dst_reg = r;
            ins.off_dst = o;
        };
        let set_op0 = |ins: &mut Instruction, op0: Option<MemOp>| {
            if let Some((r, o)) = op0 {
                ins.op0_reg = r;
                ins.off_op0 = o;
            }
        };
        let set_op1 = |ins: &mut Instruction, op1: Op1| match op1 {
            Op1::Imm(v) => {
                ins.op1_src = Op1Src::Imm;
                ins.off_op1 = 0;
                ins.imm = Some(v);
            }
            Op1::Mem((r, o)) => {
                ins.op1_src = if r == Reg::Ap { Op1Src::Ap } else { Op1Src::Fp };
                ins.off_op1 = o;
            }
            Op1::Deref((r, o), off) => {
                ins.op0_reg = r;
                ins.off_op0 = o;
                ins.op1_src = Op1Src::Op0;
                ins.off_op1 = off;
            }
        };
        let no_inc = |what: &str| {
            Error::new(
                span,
                format!("`, ap++` is not allowed on `{what}`"),
                "remove `, ap++`",
            )
        };
        match i {
            Instr::Assign(d, e) | Instr::Assert(d, e) => {
                let dst = self.mem(syms, d)?;
                let (res, op0, op1) = self.res(syms, e)?;
                set_dst(&mut ins, dst);
                set_op1(&mut ins, op1);
                set_op0(&mut ins, op0);
                ins.res = res;
                ins.opcode = if matches!(i, Instr::Assign(..)) {
                    Opcode::Assign
                } else {
                    Opcode::AssertEq
                };
            }
            Instr::Input(d) => {
                set_dst(&mut ins, self.mem(syms, d)?);
                ins.opcode = Opcode::Input;
            }
            Instr::Output(d) => {
                set_dst(&mut ins, self.mem(syms, d)?);
                ins.opcode = Opcode::Output;
            }
            Instr::Advice(d, k, args) => {
                let kind = AdviceKind::ALL
                    .into_iter()
                    .find(|a| a.name() == k.name)
                    .ok_or_else(|| {
                        Error::new(
                            k.span,
                            format!("unknown advice `{}`", k.name),
                            "expected inv, sqrt, bit, div or rem",
                        )
                    })?;
                let want = if kind.is_binary() { 2 } else { 1 };
                if args.len() != want {
                    return Err(Error::new(
                        span,
                        format!(
                            "advice `{}` takes {want} argument{}, {} given",
                            k.name,
                            if want == 1 { "" } else { "s" },
                            args.len()
                        ),
                        if want == 1 {
                            "expected `advice k(x)`"
                        } else {
                            "expected `advice k([a], x)`"
                        },
                    ));
                }
                set_dst(&mut ins, self.mem(syms, d)?);
                if kind.is_binary() {
                    let op0 = self.mem(syms, &args[0])?;
                    let op1 = self.op1(syms, &args[1])?;
                    if let Op1::Deref(inner, _) = op1 {
                        if inner != op0 {
                            return Err(Error::new(
                                args[1].span,
                                "a double dereference must go through the left operand",
                                "expected `[[x] + k]` where `[x]` is the first argument",
                            ));
                        }
                    }
                    set_op1(&mut ins, op1);
                    set_op0(&mut ins, Some(op0));
                } else {
                    let op1 = self.op1(syms, &args[0])?;
                    set_op1(&mut ins, op1);
                }
                ins.opcode = Opcode::Advice(kind);
            }
            Instr::Jmp(mode, t) => {
                ins.opcode = Opcode::Nop;
                ins.pc_update = if *mode == Some(JumpMode::Rel) {
                    PcUpdate::JumpRel
                } else {
                    PcUpdate::JumpAbs
                };
                let op1 = self.op1(syms, t)?;
                set_op1(&mut ins, op1);
            }
            Instr::Jnz(mode, t, c, z) => {
                if !is_const(z) || !self.eval_err(syms, z)?.is_zero() {
                    return Err(Error::new(
                        z.span,
                        "a conditional jump compares with 0",
                        "expected `!= 0`",
                    ));
                }
                ins.opcode = Opcode::Nop;
                ins.pc_update = PcUpdate::Jnz;
                set_dst(&mut ins, self.mem(syms, c)?);
                let op1 = match mode {
                    Some(JumpMode::Rel) => self.op1(syms, t)?,
                    Some(JumpMode::Abs) => {
                        return Err(Error::new(
                            t.span,
                            "conditional jumps are relative",
                            "expected a label or `rel x`",
                        ));
                    }
                    None if is_const(t) => Op1::Imm(self.eval_err(syms, t)? - Fr::from(pc)),
                    None => {
                        return Err(Error::new(
                            t.span,
                            "a conditional jump to a computed target must say `rel`",
                            "expected a label or `rel x`",
                        ));
                    }
                };
                set_op1(&mut ins, op1);
            }
            Instr::Call(mode, t) => {
                if inc {
                    return Err(no_inc("call"));
                }
                let op1 = self.op1(syms, t)?;
                if let Op1::Deref(..) = op1 {
                    return Err(Error::new(
                        t.span,
                        "call cannot take a double dereference",
                        "expected a label, `abs x` or `rel x`",
                    ));
                }
                let pcu = if *mode == Some(JumpMode::Rel) {
                    PcUpdate::JumpRel
                } else {
                    PcUpdate::JumpAbs
                };
                ins = Instruction::call(pcu, Op1Src::Imm, 0, None);
                set_op1(&mut ins, op1);
            }
            Instr::Ret => {
                if inc {
                    return Err(no_inc("ret"));
                }
                ins = Instruction::ret();
            }
            Instr::Halt => {
                if inc {
                    return Err(no_inc("halt"));
                }
            }
            Instr::ApAdd(e) => {
                if inc {
                    return Err(no_inc("ap += ..."));
                }
                ins.opcode = Opcode::Nop;
                ins.ap_update = ApUpdate::Add;
                let op1 = self.op1(syms, e)?;
                set_op1(&mut ins, op1);
            }
        }
        if inc {
            ins.ap_update = ApUpdate::Inc;
        }
        ins.validate()
            .map_err(|e| Error::new(span, format!("invalid instruction: {e}"), "here"))?;
        Ok(ins)
    }
}

/// A macro-local name `m#3.loop` is shown as `loop`.
fn display_name(n: &str) -> &str {
    match n.find('#') {
        Some(i) => n[i..].split_once('.').map_or(n, |(_, rest)| rest),
        None => n,
    }
}

/// Splits `reg ± c1 ± c2 ...` into the register and the signed constant terms.
fn split_reg<'e>(e: &'e Expr, neg: bool, terms: &mut Vec<(bool, &'e Expr)>) -> Option<Reg> {
    match &e.kind {
        ExprKind::Reg(r) if !neg => Some(*r),
        ExprKind::Bin(op @ (BinOp::Add | BinOp::Sub), a, b) => {
            if is_const(b) {
                let r = split_reg(a, neg, terms)?;
                terms.push((neg ^ (*op == BinOp::Sub), b));
                Some(r)
            } else if is_const(a) && *op == BinOp::Add {
                terms.push((neg, a));
                split_reg(b, neg, terms)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// The first name in `e` reading left to right through sums (`sp` in `sp + 2`).
fn leftmost_name(e: &Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::Name(n) => Some(n),
        ExprKind::Bin(_, a, _) => leftmost_name(a),
        _ => None,
    }
}

/// The terms of a chain of `+` and `-`, with whether each is subtracted.
fn flatten_sum<'e>(e: &'e Expr, neg: bool, out: &mut Vec<(bool, &'e Expr)>) {
    match &e.kind {
        ExprKind::Bin(BinOp::Add, a, b) => {
            flatten_sum(a, neg, out);
            flatten_sum(b, neg, out);
        }
        ExprKind::Bin(BinOp::Sub, a, b) => {
            flatten_sum(a, neg, out);
            flatten_sum(b, !neg, out);
        }
        _ => out.push((neg, e)),
    }
}

fn is_const(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Num(_) | ExprKind::Name(_) => true,
        ExprKind::Reg(_) | ExprKind::Mem(_) => false,
        ExprKind::Neg(a) => is_const(a),
        ExprKind::Bin(_, a, b) => is_const(a) && is_const(b),
    }
}

fn has_mem(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Mem(_) => true,
        ExprKind::Neg(a) => has_mem(a),
        ExprKind::Bin(_, a, b) => has_mem(a) || has_mem(b),
        _ => false,
    }
}
