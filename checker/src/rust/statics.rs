//! Statics: atomics and arrays of them, `Mutex<T>` / `RwLock<T>` (the lock, and its data as the
//! plain static `*M`), `Condvar`, `Barrier`, and `static mut` integers, bools and arrays. An
//! immutable static of a plain value is a constant.

use std::collections::HashMap;

use super::diag::{sp, unsupported};
use super::items::{atomic_new, named, value_expr, weft_type};
use super::scope::{int, mk, Cx, StaticInfo};
use super::stmts::strip_parens;
use super::types::{self, Ty};
use crate::lang::ast::{self, Expr, ExprKind, Item, TypeExpr};

/// Largest array of a static (the `.weft` language's limit).
const MAX_ELEMENTS: i64 = 4096;

pub(crate) fn static_item(
    cx: &mut Cx,
    atomic_consts: &HashMap<String, (i64, Ty)>,
    s: &syn::ItemStatic,
) -> Vec<Item> {
    let n = s.ident.to_string();
    let at = sp(s);
    let mutable = matches!(s.mutability, syn::StaticMutability::Mut(_));
    let decl = |name: &str, mutable: bool, ty: TypeExpr, init: Option<Expr>| {
        Item::Static(ast::StaticDecl {
            mutable,
            name: super::scope::ident(name, sp(&s.ident)),
            ty,
            init,
            span: at,
        })
    };
    let bad = |cx: &mut Cx, what: &str, help: &str| {
        cx.err(unsupported(sp(&s.expr), what, Some(help)));
        Vec::new()
    };
    if let syn::Type::Array(a) = &*s.ty {
        let Some((len, _)) = cx
            .const_eval(&a.len)
            .filter(|(l, _)| (1..=MAX_ELEMENTS).contains(l))
        else {
            return bad(cx, "this array length", "use a constant from 1 to 4096");
        };
        let elem_atomic =
            types::path_type(&a.elem).and_then(|(name, _)| types::atomic_value(&name));
        let elem = elem_atomic.clone().or_else(|| {
            if mutable {
                types::scalar(&a.elem)
            } else {
                None
            }
        });
        let Some(elem) = elem else {
            return bad(
                cx,
                "static arrays of this type",
                "arrays of atomics, or `static mut` arrays of integers or bools",
            );
        };
        let values: Option<Vec<i64>> = match strip_parens(&s.expr) {
            syn::Expr::Repeat(r) => {
                let v = match elem_atomic {
                    Some(_) => atomic_new(cx, atomic_consts, &r.expr),
                    None => cx.const_eval(&r.expr).map(|(v, _)| v),
                };
                let n = cx.const_eval(&r.len).map(|(n, _)| n);
                v.zip(n)
                    .filter(|(_, n)| *n == len)
                    .map(|(v, n)| vec![v; n as usize])
            }
            syn::Expr::Array(list) => list
                .elems
                .iter()
                .map(|e| match elem_atomic {
                    Some(_) => atomic_new(cx, atomic_consts, e),
                    None => cx.const_eval(e).map(|(v, _)| v),
                })
                .collect::<Option<Vec<_>>>()
                .filter(|v| v.len() as i64 == len),
            _ => None,
        };
        let Some(values) = values else {
            return bad(
                cx,
                "this array initialiser",
                "write `[const { AtomicUsize::new(0) }; N]`, `[0; N]` or a list of N constants",
            );
        };
        let weft_elem = match (&elem_atomic, &elem) {
            (Some(Ty::Bool), _) => "AtomicBool",
            (Some(_), _) => "AtomicInt",
            (None, Ty::Bool) => "bool",
            (None, _) => "int",
        };
        let ty = TypeExpr::Array {
            elem: Box::new(named(weft_elem, at)),
            len: Box::new(int(len, at)),
            span: sp(&s.ty),
        };
        let init = mk(
            ExprKind::ArrayList(values.iter().map(|v| value_expr(*v, &elem, at)).collect()),
            at,
        );
        if elem_atomic.is_some() {
            cx.statics.insert(
                n.clone(),
                StaticInfo::Atomic {
                    value: elem,
                    array: true,
                },
            );
            return vec![decl(&n, false, ty, Some(init))];
        }
        cx.statics.insert(
            n.clone(),
            StaticInfo::Plain {
                value: elem,
                array: true,
            },
        );
        return vec![decl(&n, true, ty, Some(init))];
    }
    let Some((tname, args)) = types::path_type(&s.ty) else {
        return bad(cx, "statics of this type", "statics are atomics, `Mutex<T>`, `RwLock<T>`, `Condvar`, `Barrier`, or `static mut` integers and bools");
    };
    if let Some(value) = types::atomic_value(&tname) {
        let Some(v) = atomic_new(cx, atomic_consts, &s.expr) else {
            return bad(
                cx,
                "this atomic initialiser",
                "write `AtomicUsize::new(0)` with a constant",
            );
        };
        let weft = if value == Ty::Bool {
            "AtomicBool"
        } else {
            "AtomicInt"
        };
        cx.statics.insert(
            n.clone(),
            StaticInfo::Atomic {
                value: value.clone(),
                array: false,
            },
        );
        return vec![decl(
            &n,
            false,
            named(weft, at),
            Some(value_expr(v, &value, at)),
        )];
    }
    match tname.as_str() {
        "Mutex" | "RwLock" => {
            let rw = tname == "RwLock";
            let data = match args.first() {
                Some(t) if types::is_unit(t) => None,
                Some(t) => match types::scalar(t) {
                    Some(ty) => Some(ty),
                    None => return bad(cx, &format!("a `{tname}` holding this type"), "a lock holds `()`, an integer or a bool in this version"),
                },
                None => None,
            };
            let init = new_call(cx, &s.expr, &tname);
            let Some(init) = init else {
                return bad(cx, "this initialiser", &format!("write `{tname}::new(value)`"));
            };
            cx.statics.insert(n.clone(), StaticInfo::Lock { rw, data: data.clone() });
            let mut out = vec![decl(&n, false, named(&tname, at), None)];
            if let Some(ty) = data {
                let v = init.first().copied().unwrap_or(0);
                out.push(decl(&format!("*{n}"), true, weft_type(&ty, at), Some(value_expr(v, &ty, at))));
            }
            out
        }
        "Condvar" => {
            cx.statics.insert(n.clone(), StaticInfo::Condvar);
            vec![decl(&n, false, named("Condvar", at), None)]
        }
        "Barrier" => match new_call(cx, &s.expr, "Barrier").and_then(|v| v.first().copied()) {
            Some(parties) if parties > 0 => {
                cx.statics.insert(n.clone(), StaticInfo::Barrier);
                vec![decl(&n, false, named("Barrier", at), Some(int(parties, at)))]
            }
            _ => bad(cx, "this barrier", "write `Barrier::new(n)` with a constant n > 0"),
        },
        _ => match types::scalar(&s.ty) {
            Some(ty) => {
                let Some((v, _)) = cx.const_eval(&s.expr) else {
                    return bad(cx, "this initialiser", "initialise a static with a constant");
                };
                if !mutable {
                    // An immutable static of a plain value is a constant.
                    cx.consts.insert(n, (v, ty));
                    return Vec::new();
                }
                cx.statics.insert(n.clone(), StaticInfo::Plain { value: ty.clone(), array: false });
                vec![decl(&n, true, weft_type(&ty, at), Some(value_expr(v, &ty, at)))]
            }
            None => bad(cx, &format!("statics of type `{tname}`"), "statics are atomics, `Mutex<T>`, `RwLock<T>`, `Condvar`, `Barrier`, or `static mut` integers and bools"),
        },
    }
}

/// `Name::new(args)`: the constant arguments (`()` counts as none).
fn new_call(cx: &Cx, e: &syn::Expr, type_name: &str) -> Option<Vec<i64>> {
    let (c, segs) = super::stmts::path_call(e)?;
    if segs.len() < 2 || segs[segs.len() - 1] != "new" || segs[segs.len() - 2] != type_name {
        return None;
    }
    c.args
        .iter()
        .filter(|a| !matches!(a, syn::Expr::Tuple(t) if t.elems.is_empty()))
        .map(|a| cx.const_eval(a).map(|(v, _)| v))
        .collect()
}
