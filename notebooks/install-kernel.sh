#!/bin/sh
# Installs the Java Jupyter kernel the notebooks run on, inside this repository (nothing in $HOME):
#   notebooks/target/lib/kernel/   rapaio-jupyter-kernel (Maven Central; version in the parent pom.xml)
#   notebooks/target/lib/plot/     XChart and what it needs
#   notebooks/target/jupyter/kernels/ptorder-java/kernel.json
# Then point Jupyter at it:  JUPYTER_PATH=notebooks/target/jupyter jupyter notebook notebooks/
#
# usage: notebooks/install-kernel.sh [--classpath CP]
#   --classpath CP   what the notebooks' Java code sees (';'-separated jars, globs and class folders);
#                    default: the shaded analyze/target/ptorder.jar (./ptorder builds it) and XChart.
# Offline first (the jars are usually in ~/.m2 already), Maven Central when they are not.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
classpath="$repo/analyze/target/ptorder.jar"
while [ $# -gt 0 ]; do
    case "$1" in
        --classpath) classpath=$2; shift 2 ;;
        *) echo "usage: $0 [--classpath CP]" >&2; exit 2 ;;
    esac
done
lib="$here/target/lib"
stamp="$lib/kernel/.complete"
if [ ! -f "$stamp" ] || [ -n "$(find "$repo/pom.xml" "$here/kernel" "$0" -newer "$stamp" -type f -not -path '*/target/*' \
        -print -quit)" ]; then
    rm -rf "$lib"
    # Builds the start-up fix (kernel/src) and copies the kernel and XChart with what they need.
    build() { mvn -B -q "$@" -f "$here/kernel/pom.xml" -DskipTests package dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory="$lib/plot" \
        -DexcludeGroupIds=org.junit.jupiter,org.junit.platform,org.opentest4j,org.apiguardian; }
    build -o 2>/dev/null || build
    mkdir -p "$lib/kernel"
    mv "$lib"/plot/rapaio-jupyter-kernel-*.jar "$lib/kernel/"
    cp "$here"/kernel/target/ptorder-notebook-kernel-*.jar "$lib/kernel/ptorder-notebook-kernel.jar"
    touch "$stamp"
fi
kernel_cp="$lib/kernel/ptorder-notebook-kernel.jar:$(ls "$lib"/kernel/rapaio-jupyter-kernel-*.jar)"
spec="$here/target/jupyter/kernels/ptorder-java"
mkdir -p "$spec"
# KernelMain instead of rapaio's MainApp: notebooks/README.md, "Kernel start-up".
cat > "$spec/kernel.json" <<JSON
{
  "argv": ["java", "-cp", "$kernel_cp", "org.ptorder.notebook.KernelMain", "{connection_file}"],
  "display_name": "Java (ptorder)",
  "language": "java",
  "interrupt_mode": "message",
  "env": {
    "RJK_CLASSPATH": "$classpath;$lib/plot/*.jar",
    "RJK_COMPILER_OPTIONS": "",
    "RJK_INIT_SCRIPT": "",
    "RJK_TIMEOUT_MILLIS": "-1"
  }
}
JSON
echo "kernel 'ptorder-java' installed in $here/target/jupyter (use JUPYTER_PATH=$here/target/jupyter)"
