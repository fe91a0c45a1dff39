"""Formulas read as MathJax 3 reads them."""

from __future__ import annotations

import pytest

from ankify.math.check import check_tex, mathjax

# Notation from the Deep Learning Book's chapters: none of it may ever fail the build.
BOOK = [
    r"\boldsymbol{x} \in \mathbb{R}^n",
    r"\boldsymbol{A}^\top \boldsymbol{A}",
    r"\|\boldsymbol{x}\|_p = \left( \sum_i |x_i|^p \right)^{\frac{1}{p}}",
    r"\lVert \boldsymbol{x} \rVert_2",
    r"\operatorname{Tr}(\boldsymbol{A}) = \sum_i A_{i,i}",
    r"\boldsymbol{A} = \boldsymbol{V} \operatorname{diag}(\boldsymbol{\lambda}) \boldsymbol{V}^{-1}",
    r"\boldsymbol{A}^+ = \lim_{\alpha \searrow 0} (\boldsymbol{A}^\top \boldsymbol{A} + \alpha \boldsymbol{I})^{-1} \boldsymbol{A}^\top",
    r"\det(\boldsymbol{A})",
    r"\arg\max_{\boldsymbol{d}} \operatorname{Tr}(\boldsymbol{d}^\top \boldsymbol{X}^\top \boldsymbol{X} \boldsymbol{d}) \text{ subject to } \boldsymbol{d}^\top \boldsymbol{d} = 1",
    r"P(\mathrm{x} = x, \mathrm{y} = y) = P(\mathrm{y} = y \mid \mathrm{x} = x) P(\mathrm{x} = x)",
    r"\mathbb{E}_{\mathrm{x} \sim P}[f(x)] = \sum_x P(x) f(x)",
    r"\mathrm{Var}(f(x)) = \mathbb{E}\left[ (f(x) - \mathbb{E}[f(x)])^2 \right]",
    r"\mathcal{N}(x; \mu, \sigma^2) = \sqrt{\frac{1}{2\pi\sigma^2}} \exp\left( -\frac{1}{2\sigma^2} (x - \mu)^2 \right)",
    r"\sigma(x) = \frac{1}{1 + \exp(-x)}",
    r"\zeta(x) = \log(1 + \exp(x))",
    r"D_{\mathrm{KL}}(P \| Q) = \mathbb{E}_{\mathrm{x} \sim P}\left[ \log \frac{P(x)}{Q(x)} \right]",
    r"H(\mathrm{x}) = -\mathbb{E}_{\mathrm{x} \sim P}[\log P(x)]",
    r"\operatorname{softmax}(\boldsymbol{x})_i = \frac{\exp(x_i)}{\sum_{j=1}^n \exp(x_j)}",
    r"\boldsymbol{x}' = \boldsymbol{x} - \epsilon \nabla_{\boldsymbol{x}} f(\boldsymbol{x})",
    r"\boldsymbol{H}(f)(\boldsymbol{x})_{i,j} = \frac{\partial^2}{\partial x_i \partial x_j} f(\boldsymbol{x})",
    r"\begin{aligned} f(x) &= \frac{1}{2} \|\boldsymbol{A}\boldsymbol{x} - \boldsymbol{b}\|_2^2 \\ \nabla_{\boldsymbol{x}} f &= \boldsymbol{A}^\top \boldsymbol{A} \boldsymbol{x} - \boldsymbol{A}^\top \boldsymbol{b} \end{aligned}",
    r"L(\boldsymbol{x}, \boldsymbol{\lambda}, \boldsymbol{\alpha}) = f(\boldsymbol{x}) + \sum_i \lambda_i g^{(i)}(\boldsymbol{x}) + \sum_j \alpha_j h^{(j)}(\boldsymbol{x})",
    r"\hat{y} = \boldsymbol{w}^\top \boldsymbol{x} + b",
    r"\mathrm{MSE}_{\mathrm{test}} = \frac{1}{m} \sum_i (\hat{\boldsymbol{y}}^{(\mathrm{test})} - \boldsymbol{y}^{(\mathrm{test})})_i^2",
    r"\boldsymbol{\theta}_{\mathrm{ML}} = \operatorname*{arg\,max}_{\boldsymbol{\theta}} \sum_{i=1}^m \log p_{\mathrm{model}}(\boldsymbol{x}^{(i)}; \boldsymbol{\theta})",
    r"J(\boldsymbol{\theta}) = -\mathbb{E}_{\mathbf{x}, \mathrm{y} \sim \hat{p}_{\mathrm{data}}} \log p_{\mathrm{model}}(y \mid \boldsymbol{x})",
    r"f(x) = \begin{cases} 0 & x < 0 \\ x & x \ge 0 \end{cases}",
    r"\boldsymbol{W} = \begin{bmatrix} w_{1,1} & w_{1,2} \\ w_{2,1} & w_{2,2} \end{bmatrix}",
    r"\frac{\partial z}{\partial x_i} = \sum_j \frac{\partial z}{\partial y_j} \frac{\partial y_j}{\partial x_i}",
    r"\boldsymbol{h}^{(t)} = \tanh(\boldsymbol{b} + \boldsymbol{W} \boldsymbol{h}^{(t-1)} + \boldsymbol{U} \boldsymbol{x}^{(t)})",
    r"S(i, j) = (I * K)(i, j) = \sum_m \sum_n I(m, n) K(i - m, j - n)",
    r"\tilde{J}(\boldsymbol{w}) = J(\boldsymbol{w}) + \frac{\alpha}{2} \boldsymbol{w}^\top \boldsymbol{w}",
    r"\langle \boldsymbol{x}, \boldsymbol{y} \rangle \coloneqq \boldsymbol{x}^\top \boldsymbol{y}",
    r"\underbrace{p(\boldsymbol{x})}_{\text{evidence}} \ge \mathcal{L}(\boldsymbol{v}, \boldsymbol{\theta}, q)",
    r"\mathbb{1}_{\mathrm{condition}} \quad \forall i \in \{1, \dots, n\}",
    r"\left\{ x \mid x > 0 \right\} \cup \emptyset",
    r"a \approx b \propto c \ll d \gg e \neq f \equiv g",
    r"\overline{x} \widehat{xy} \vec{v} \dot{x} \ddot{x} \tilde{x}",
    r"\sqrt[n]{x} \binom{n}{k} \tbinom{n}{k} \dfrac{a}{b}",
    r"\begin{align} a &= b \\ &= c \end{align}",
    r"% a comment with \undefinedmacro\n x",
]


@pytest.mark.parametrize("tex", BOOK)
def test_book_notation_passes(tex: str) -> None:
    assert check_tex(tex.replace(r"\n", "\n")) is None


@pytest.mark.parametrize(
    ("tex", "problem"),
    [
        (r"\fracc{a}{b}", r"unknown control sequence \fracc: did you mean \frac?"),
        (r"\boldsymbol{x", "unbalanced braces: a '{' is never closed"),
        (r"x}", "unbalanced braces: a '}' has no '{' before it"),
        (r"\begin{cases} a \\ b", r"\begin{cases} without its \end{cases}"),
        (
            r"\begin{align} a \end{aligned}",
            r"\begin{align} is ended by \end{aligned}: end it with \end{align}",
        ),
        (r"\end{cases}", r"\end{cases} without its \begin{cases}"),
        (
            r"\left( \frac{a}{b}",
            r"\left without \right: close it with \right) (or \right. for none)",
        ),
        (r"\frac{a}{b} \right)", r"\right without \left: open it with \left( (or \left. for none)"),
        (
            r"\left x \right)",
            r"\left must be followed by a delimiter such as ( [ \{ | or . , not x",
        ),
        (r"\bm{x}", r"unknown control sequence \bm: MathJax has no \bm, write \boldsymbol"),
        (r"\begin{algn} a \end{algn}", "unknown environment {algn}: did you mean {align}?"),
        (r"\mathbbb{R}", r"unknown control sequence \mathbbb: did you mean \mathbb?"),
        ("x \\", r"a lone '\' at the end: remove it, or write \backslash"),
        (r"\R^n", r"unknown control sequence \R: did you mean \Re?"),
    ],
)
def test_broken_formulas_say_why(tex: str, problem: str) -> None:
    assert check_tex(tex) == problem


def test_declared_macros_are_known() -> None:
    assert check_tex(r"x \in \R^n", extra_macros={"R"}) is None
    assert check_tex(r"\newcommand{\norm}[1]{\lVert #1 \rVert} \norm{x}") is None
    assert check_tex(r"\DeclareMathOperator{\sgn}{sgn} \sgn(x)") is None


def test_the_command_list_is_mathjax_3s_own() -> None:
    known = mathjax()
    assert known.version.startswith("3.")
    assert {"frac", "boldsymbol", "mathbb", "coloneqq", "ce", "cancel"} <= known.macros
    assert {"aligned", "cases", "bmatrix", "align*"} <= known.environments
    assert "bm" not in known.macros
