# Expected values for MetricsTest, from scikit-learn / SciPy (Debian python3-sklearn, python3-scipy).
# Run with: /usr/bin/python3 -W ignore verify/expected.py
import math
import numpy as np, scipy, sklearn
from scipy.stats import pearsonr, spearmanr
from sklearn.metrics import accuracy_score, f1_score, matthews_corrcoef

print("versions: sklearn", sklearn.__version__, "scipy", scipy.__version__, "numpy", np.__version__)
def show(name, v): print(f"{name} = {float(v)!r}")

# --- accuracy
show("accuracy([0,1,2,1] vs gold [0,2,2,1])", accuracy_score([0,2,2,1], [0,1,2,1]))
# --- f1 (sklearn signature is (y_true, y_pred))
show("f1(pred [1,1,0,1,0,0], gold [1,0,0,1,1,0])", f1_score([1,0,0,1,1,0], [1,1,0,1,0,0]))
show("f1(pred all 0, gold [1,0,1,0])", f1_score([1,0,1,0], [0,0,0,0]))
show("f1(pred all 0, gold all 0)", f1_score([0,0,0,0], [0,0,0,0]))
show("f1(pred all 1, gold [1,0,1,0,0])", f1_score([1,0,1,0,0], [1,1,1,1,1]))
# --- mcc
show("mcc(pred [1,1,0,1,0,0,1,0], gold [1,0,0,1,1,0,1,0])", matthews_corrcoef([1,0,0,1,1,0,1,0], [1,1,0,1,0,0,1,0]))
show("mcc(pred [0,1,1,0], gold [1,0,0,1])", matthews_corrcoef([1,0,0,1], [0,1,1,0]))
show("mcc(pred [1,0,1,1,0,1], gold [0,1,1,0,0,1])", matthews_corrcoef([0,1,1,0,0,1], [1,0,1,1,0,1]))
show("mcc 3-class(pred [0,1,2,2,1,0], gold [0,1,2,1,2,0])", matthews_corrcoef([0,1,2,1,2,0], [0,1,2,2,1,0]))
show("mcc 3-class(pred [0,2,1,0,1,2], gold [0,1,2,0,1,2])", matthews_corrcoef([0,1,2,0,1,2], [0,2,1,0,1,2]))
show("mcc 3-class(pred [0,0,1,2,2,2], gold [0,1,1,2,2,0])", matthews_corrcoef([0,1,1,2,2,0], [0,0,1,2,2,2]))
show("mcc labels 5,-3,7 (pred [5,-3,7,7,-3,5], gold [5,-3,7,-3,7,5])", matthews_corrcoef([5,-3,7,-3,7,5], [5,-3,7,7,-3,5]))
show("mcc(pred all 1, gold [1,0,1,0])", matthews_corrcoef([1,0,1,0], [1,1,1,1]))
show("mcc(pred all 2, gold all 2)", matthews_corrcoef([2,2,2], [2,2,2]))
# --- pearson
show("pearson([1,2,3,4],[2,1,4,3])", pearsonr([1,2,3,4],[2,1,4,3])[0])
show("pearson([1,2,3,4],[3,4,1,2])", pearsonr([1,2,3,4],[3,4,1,2])[0])
show("pearson([1,2,3,4,5],[3,5,7,9,11])", pearsonr([1,2,3,4,5],[3,5,7,9,11])[0])
show("pearson([1,2,3],[5,5,5])", pearsonr([1,2,3],[5,5,5])[0])
show("pearson([1e300,2e300,3e300,4e300],[2e-300,1e-300,4e-300,3e-300])", pearsonr([1e300,2e300,3e300,4e300],[2e-300,1e-300,4e-300,3e-300])[0])
# --- spearman
show("spearman([1,2,2,3,4],[2,1,3,3,5])", spearmanr([1,2,2,3,4],[2,1,3,3,5])[0])
show("spearman([1,2,3,4,5],[10,8,9,3,1])", spearmanr([1,2,3,4,5],[10,8,9,3,1])[0])
show("spearman([1,2,3,4,5],[1,8,27,64,125])", spearmanr([1,2,3,4,5],[1,8,27,64,125])[0])
show("spearman([1,2,3],[4,4,4])", spearmanr([1,2,3],[4,4,4])[0])
show("spearman([-0.0,0.0,1,2],[1,2,3,4])", spearmanr([-0.0,0.0,1.0,2.0],[1,2,3,4])[0])

# --- larger reproducible cases, n = 200, i = 0..199
i = np.arange(200)
x = np.sin(i * 1.3)
y = np.cos(i * 0.7) + 0.1 * (i % 7)
show("large pearson  x=sin(1.3i), y=cos(0.7i)+0.1*(i%7)", pearsonr(x, y)[0])
show("large spearman x=sin(1.3i), y=cos(0.7i)+0.1*(i%7)", spearmanr(x, y)[0])
# integer-valued scores with many ties (exactly reproducible in Java)
xt = ((i * 13) % 10).astype(float)
yt = ((i * 7) % 6 + (i % 4)).astype(float)
show("large pearson  ties x=(13i)%10, y=(7i)%6+i%4", pearsonr(xt, yt)[0])
show("large spearman ties x=(13i)%10, y=(7i)%6+i%4", spearmanr(xt, yt)[0])
# classification labels, i = 0..199
gold3 = (i * i) % 3
pred3 = (i * 7 + i // 5) % 3
show("large accuracy gold=(i*i)%3, pred=(7i+i//5)%3", accuracy_score(gold3, pred3))
show("large mcc      gold=(i*i)%3, pred=(7i+i//5)%3", matthews_corrcoef(gold3, pred3))
gold2 = ((i * i + 3 * i) % 5 < 2).astype(int)
pred2 = ((i * 11 + i // 3) % 5 < 2).astype(int)
show("large f1  gold=((i*i+3i)%5<2), pred=((11i+i//3)%5<2)", f1_score(gold2, pred2))
show("large mcc gold=((i*i+3i)%5<2), pred=((11i+i//3)%5<2)", matthews_corrcoef(gold2, pred2))
# strongly correlated variant, i = 0..199
yc = x + 0.3 * np.cos(i * 0.7) + 0.01 * i
show("large pearson  x=sin(1.3i), y=x+0.3cos(0.7i)+0.01i", pearsonr(x, yc)[0])
show("large spearman x=sin(1.3i), y=x+0.3cos(0.7i)+0.01i", spearmanr(x, yc)[0])
show("large pearson  x=sin(1.3i), y=-(x+0.3cos(0.7i)+0.01i)", pearsonr(x, -yc)[0])
show("large spearman x=sin(1.3i), y=-(x+0.3cos(0.7i)+0.01i)", spearmanr(x, -yc)[0])
