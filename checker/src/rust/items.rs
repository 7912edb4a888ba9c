//! The file's items: `use` imports, `const`s, statics (atomics and their arrays, `Mutex<T>`,
//! `RwLock<T>`, `Condvar`, `Barrier`, `static mut` scalars and arrays), helper functions and
//! `fn main`, which becomes the thread `main`. Any other item is reported.

use std::collections::HashMap;

use super::diag::{sp, unsupported};
use super::exprs::local_name;
use super::scope::{int, mk, Binding, Cx, FnSig};
use super::stmts::strip_parens;
use super::types::{self, Ty};
use crate::lang::ast::{self, Expr, ExprKind, Item, TypeExpr};
use crate::source::{Diagnostic, SourceFile, Span};

pub(crate) fn translate(
    file: &SourceFile,
    parsed: &syn::File,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Item> {
    let mut cx = Cx::new(file);
    let mut atomic_consts: HashMap<String, (i64, Ty)> = HashMap::new();
    for item in &parsed.items {
        if let syn::Item::Use(u) = item {
            imports(&mut cx, &u.tree, String::new());
        }
    }
    // Consts may name each other in any order: evaluate until nothing changes.
    let consts: Vec<&syn::ItemConst> = parsed
        .items
        .iter()
        .filter_map(|i| match i {
            syn::Item::Const(c) => Some(c),
            _ => None,
        })
        .collect();
    let mut pending = consts.clone();
    loop {
        let before = pending.len();
        pending.retain(|c| !define_const(&mut cx, &mut atomic_consts, c));
        if pending.is_empty() || pending.len() == before {
            break;
        }
    }
    for c in pending {
        cx.err(unsupported(sp(&c.expr), "this `const` value", Some("a const is an integer or bool expression of literals and other consts, or `AtomicX::new(v)`")));
    }
    let mut items = Vec::new();
    for item in &parsed.items {
        if let syn::Item::Static(s) = item {
            items.extend(super::statics::static_item(&mut cx, &atomic_consts, s));
        }
    }
    let fns: Vec<&syn::ItemFn> = parsed
        .items
        .iter()
        .filter_map(|i| match i {
            syn::Item::Fn(f) => Some(f),
            _ => None,
        })
        .collect();
    let mut sigs = Vec::new();
    for f in &fns {
        if let Some(a) = f.attrs.iter().find(|a| a.path().is_ident("test")) {
            cx.err(unsupported(
                sp(a),
                "`#[test]` functions",
                Some("put the test's body in `fn main()`"),
            ));
            sigs.push(None);
            continue;
        }
        let sig = signature(&mut cx, f);
        if let Some(s) = &sig {
            if f.sig.ident != "main" {
                cx.fns.insert(f.sig.ident.to_string(), s.clone());
            }
        }
        sigs.push(sig);
    }
    let mut main = None;
    for (f, sig) in fns.iter().zip(sigs) {
        let Some(sig) = sig else { continue };
        let body = fn_body(&mut cx, f, &sig);
        let at = sp(*f);
        let name = f.sig.ident.to_string();
        if name == "main" {
            if !sig.params.is_empty() || sig.ret != Ty::Unit {
                cx.err(Diagnostic::error(
                    sp(&f.sig),
                    "`main` takes no arguments and returns `()`",
                ));
            }
            main = Some(Item::Thread(ast::ThreadDecl {
                name: super::scope::ident("main", sp(&f.sig.ident)),
                count: None,
                body,
                span: at,
            }));
            continue;
        }
        let params = f
            .sig
            .inputs
            .iter()
            .zip(&sig.params)
            .map(|(arg, ty)| {
                let (n, s) = match arg {
                    syn::FnArg::Typed(p) => (pat_name(&p.pat).unwrap_or_default(), sp(p)),
                    syn::FnArg::Receiver(r) => (String::new(), sp(r)),
                };
                ast::Param {
                    name: super::scope::ident(&n, s),
                    ty: weft_type(ty, s),
                    span: s,
                }
            })
            .collect();
        let ret = match sig.ret {
            Ty::Unit | Ty::Never => None,
            ref t => Some(weft_type(t, sp(&f.sig.output))),
        };
        items.push(Item::Fn(ast::FnDecl {
            name: super::scope::ident(&super::scope::helper_name(&name), sp(&f.sig.ident)),
            params,
            ret,
            body,
            span: at,
        }));
    }
    match main {
        Some(m) => items.push(m),
        None => cx.err(
            Diagnostic::error(Span::DUMMY, "the file has no `fn main`")
                .with_help("weft checks `fn main()`: it runs as the thread `main`, and what it spawns runs with it"),
        ),
    }
    for item in &parsed.items {
        if let Some((what, help)) = other_item(item) {
            cx.err(unsupported(sp(item), what, help));
        }
    }
    diags.append(&mut cx.diags);
    items
}

/// Record the names a `use` brings in, with their full paths.
pub(crate) fn imports(cx: &mut Cx, tree: &syn::UseTree, prefix: String) {
    let join = |p: &str, n: &str| {
        if p.is_empty() {
            n.to_string()
        } else {
            format!("{p}::{n}")
        }
    };
    match tree {
        syn::UseTree::Path(p) => imports(cx, &p.tree, join(&prefix, &p.ident.to_string())),
        syn::UseTree::Name(n) if n.ident == "self" => {
            if let Some(last) = prefix.rsplit("::").next() {
                cx.imports.insert(last.to_string(), prefix.clone());
            }
        }
        syn::UseTree::Name(n) => {
            cx.imports
                .insert(n.ident.to_string(), join(&prefix, &n.ident.to_string()));
        }
        syn::UseTree::Rename(r) => {
            cx.imports
                .insert(r.rename.to_string(), join(&prefix, &r.ident.to_string()));
        }
        syn::UseTree::Glob(_) => {}
        syn::UseTree::Group(g) => {
            for t in &g.items {
                imports(cx, t, prefix.clone());
            }
        }
    }
}

/// Evaluate a `const`; false when it names consts not defined yet (or cannot be evaluated).
fn define_const(
    cx: &mut Cx,
    atomic_consts: &mut HashMap<String, (i64, Ty)>,
    c: &syn::ItemConst,
) -> bool {
    let n = c.ident.to_string();
    if let Some((name, _)) = types::path_type(&c.ty) {
        if let Some(value) = types::atomic_value(&name) {
            if let Some(v) = atomic_new(cx, atomic_consts, &c.expr) {
                atomic_consts.insert(n, (v, value));
                return true;
            }
            return false;
        }
    }
    let Some(ty) = types::scalar(&c.ty) else {
        cx.err(unsupported(
            sp(&c.ty),
            "consts of this type",
            Some("consts are integers or bools"),
        ));
        return true;
    };
    match cx.const_eval(&c.expr) {
        Some((v, _)) => {
            cx.consts.insert(n, (v, ty));
            true
        }
        None => false,
    }
}

/// The initial value of an atomic: `AtomicX::new(v)`, `const { AtomicX::new(v) }`, or a const.
pub(crate) fn atomic_new(
    cx: &Cx,
    atomic_consts: &HashMap<String, (i64, Ty)>,
    e: &syn::Expr,
) -> Option<i64> {
    match strip_parens(e) {
        syn::Expr::Call(c) if c.args.len() == 1 => {
            let (_, segs) = super::stmts::path_call(e)?;
            let ok = segs.len() >= 2
                && segs[segs.len() - 1] == "new"
                && types::atomic_value(&segs[segs.len() - 2]).is_some();
            if !ok {
                return None;
            }
            cx.const_eval(&c.args[0]).map(|(v, _)| v)
        }
        syn::Expr::Const(c) if c.block.stmts.len() == 1 => match &c.block.stmts[0] {
            syn::Stmt::Expr(e, None) => atomic_new(cx, atomic_consts, e),
            _ => None,
        },
        other => atomic_consts.get(&local_name(other)?).map(|(v, _)| *v),
    }
}

fn signature(cx: &mut Cx, f: &syn::ItemFn) -> Option<FnSig> {
    let s = &f.sig;
    if !s.generics.params.is_empty() {
        cx.err(unsupported(
            sp(&s.generics),
            &format!("generic function `{}`", s.ident),
            Some("write the function for one integer type"),
        ));
        return None;
    }
    if let Some(a) = &s.asyncness {
        cx.err(unsupported(sp(a), "async functions", None));
        return None;
    }
    let mut params = Vec::new();
    for arg in &s.inputs {
        match arg {
            syn::FnArg::Typed(p) => {
                match (pat_name(&p.pat), types::scalar(&p.ty)) {
                    (Some(_), Some(ty)) => params.push(ty),
                    (None, _) => {
                        cx.err(unsupported(
                            sp(&p.pat),
                            "this parameter pattern",
                            Some("name the parameter: `x: i32`"),
                        ));
                        return None;
                    }
                    (_, None) => {
                        cx.err(unsupported(sp(&p.ty), "parameters of this type", Some("parameters are integers or bools; share anything else through statics")));
                        return None;
                    }
                }
            }
            syn::FnArg::Receiver(r) => {
                cx.err(unsupported(
                    sp(r),
                    "methods (`self`)",
                    Some("write a free function; structs and `impl` blocks come later"),
                ));
                return None;
            }
        }
    }
    let ret = match &s.output {
        syn::ReturnType::Default => Ty::Unit,
        syn::ReturnType::Type(_, t) if types::is_unit(t) => Ty::Unit,
        syn::ReturnType::Type(_, t) if matches!(**t, syn::Type::Never(_)) => Ty::Never,
        syn::ReturnType::Type(_, t) => match types::scalar(t) {
            Some(ty) => ty,
            None => {
                cx.err(unsupported(
                    sp(&**t),
                    "functions returning this type",
                    Some("return an integer or a bool"),
                ));
                return None;
            }
        },
    };
    Some(FnSig { params, ret })
}

fn fn_body(cx: &mut Cx, f: &syn::ItemFn, sig: &FnSig) -> ast::Block {
    cx.push_scope();
    let mut prelude = Vec::new();
    for (arg, ty) in f.sig.inputs.iter().zip(&sig.params) {
        let syn::FnArg::Typed(p) = arg else { continue };
        let Some(n) = pat_name(&p.pat) else { continue };
        let mutable = matches!(&*p.pat, syn::Pat::Ident(i) if i.mutability.is_some());
        if mutable {
            // `fn f(mut x: i32)`: a `let mut` copy of the parameter.
            prelude.push(super::scope::let_(
                &n,
                super::scope::name(&n, sp(p)),
                true,
                sp(p),
            ));
        }
        cx.bind(
            &n,
            Binding::Local {
                weft: n.clone(),
                ty: ty.clone(),
                mutable,
            },
        );
    }
    cx.ret = sig.ret.clone();
    let (mut body, _) = cx.block_in_scope(&f.block);
    cx.pop_scope();
    cx.check_joined();
    if !prelude.is_empty() {
        prelude.append(&mut body.stmts);
        body.stmts = prelude;
    }
    body
}

fn pat_name(p: &syn::Pat) -> Option<String> {
    match p {
        syn::Pat::Ident(i) if i.subpat.is_none() && i.by_ref.is_none() => Some(i.ident.to_string()),
        _ => None,
    }
}

pub(crate) fn named(n: &str, at: Span) -> TypeExpr {
    TypeExpr::Named {
        name: super::scope::ident(n, at),
        args: Vec::new(),
        span: at,
    }
}

pub(crate) fn weft_type(ty: &Ty, at: Span) -> TypeExpr {
    named(if *ty == Ty::Bool { "bool" } else { "int" }, at)
}

pub(crate) fn value_expr(v: i64, ty: &Ty, at: Span) -> Expr {
    match ty {
        Ty::Bool => mk(ExprKind::Bool(v != 0), at),
        _ => int(v, at),
    }
}

/// Items outside the subset: what to call them, and the nearest supported form.
fn other_item(item: &syn::Item) -> Option<(&'static str, Option<&'static str>)> {
    let heap = Some("share data through statics: atomics, `static mut`, `Mutex<T>`");
    Some(match item {
        syn::Item::Use(_)
        | syn::Item::Const(_)
        | syn::Item::Static(_)
        | syn::Item::Fn(_)
        | syn::Item::ExternCrate(_) => return None,
        syn::Item::Struct(_) => ("`struct`s", heap),
        syn::Item::Enum(_) => ("`enum`s", Some("use integer constants")),
        syn::Item::Union(_) => ("`union`s", heap),
        syn::Item::Impl(_) => ("`impl` blocks", Some("write free functions over statics")),
        syn::Item::Trait(_) | syn::Item::TraitAlias(_) => ("traits", None),
        syn::Item::Mod(_) => (
            "modules",
            Some("keep the model in one file, at its top level"),
        ),
        syn::Item::Macro(_) => ("macro definitions", None),
        syn::Item::Type(_) => ("type aliases", Some("write the type out")),
        syn::Item::ForeignMod(_) => ("`extern` blocks", None),
        _ => ("this item", None),
    })
}
