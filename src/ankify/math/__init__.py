"""Math you can trust: formulas checked as MathJax reads them, sympy claims and drills, SVG."""
