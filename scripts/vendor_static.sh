#!/usr/bin/env bash
# Vendor front-end assets into static/vendor/ from pinned npm packages.
#
# No CDN is involved at runtime: every file the browser loads is served from
# our own static/ directory. The tarballs are fetched with `npm pack`
# (install scripts are never run), checked against the pinned sha512
# integrity below, and only the distribution files we need are copied.
#
# To upgrade a package: change its version AND its integrity below. Get the
# integrity with:   npm view <pkg>@<version> dist.integrity
# then re-run this script and commit scripts/ + static/vendor/.
#
# Usage: scripts/vendor_static.sh        (run from anywhere)
set -euo pipefail

# --- Pinned versions ---------------------------------------------------------
BOOTSTRAP_VERSION="5.3.9"
CHARTJS_VERSION="4.6.1"
BOOTSTRAP_ICONS_VERSION="1.13.2"
TOM_SELECT_VERSION="2.6.2"
# Used by the browser tests only (tests/e2e/test_accessibility.py injects it); no page loads it.
AXE_CORE_VERSION="4.14.1"

# --- Pinned tarball integrity (npm view <pkg>@<ver> dist.integrity) ----------
BOOTSTRAP_INTEGRITY="sha512-20cU0rcfw8WdxtVbmfU+xT2EjvVTw9Ror/h1Qvd7DXCujRg8OO9mdBCsmTHdJFf3BuadmBNJtgIuUXsBqSkk/w=="
CHARTJS_INTEGRITY="sha512-hJyniucsFmq//EvXYvJ6c6mahPoI3kaxdjVH8awTaJ/fDNWeSqqqArixMJWkWNN6fcYvPU3HneSANFNYtRi61g=="
BOOTSTRAP_ICONS_INTEGRITY="sha512-fAU1Ly3dH7hwRg+CB8EZ0Vl0fF80zgXHeUVJyfUOKzoURr+TbwISbCW5tKUoQLERaWYG2emTCybcPbD96hdD1A=="
TOM_SELECT_INTEGRITY="sha512-eiXIkk82XzzUTOVQDFpy+ZGejuqdTvMukyUyeZBQaKnqW42UoTiTZnrod/eX0rkqJEc4rZY9DZ3zdjV07i29wQ=="
AXE_CORE_INTEGRITY="sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="

# -----------------------------------------------------------------------------
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR_DIR="${REPO_ROOT}/static/vendor"

die() { echo "vendor_static: error: $*" >&2; exit 1; }
log() { echo "vendor_static: $*"; }

command -v npm >/dev/null 2>&1 || die "npm is required"
command -v node >/dev/null 2>&1 || die "node is required"
command -v tar >/dev/null 2>&1 || die "tar is required"

WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/vendor_static.XXXXXX")"
cleanup() { rm -rf "${WORK_DIR}"; }
trap cleanup EXIT

# sha512 integrity (SRI format) of a file, computed locally.
sri_sha512() {
    node -e '
        const fs = require("fs"), crypto = require("crypto");
        const h = crypto.createHash("sha512").update(fs.readFileSync(process.argv[1]));
        process.stdout.write("sha512-" + h.digest("base64"));
    ' "$1"
}

# fetch <package> <version> <integrity>  -> prints extracted package dir
fetch() {
    local pkg="$1" version="$2" integrity="$3"
    local dest="${WORK_DIR}/${pkg}"
    mkdir -p "${dest}"
    log "fetching ${pkg}@${version}" >&2
    # npm pack downloads the registry tarball without running any scripts.
    local tgz
    tgz="$(cd "${dest}" && npm pack --ignore-scripts --silent "${pkg}@${version}" | tail -n 1)"
    [[ -s "${dest}/${tgz}" ]] || die "npm pack produced no tarball for ${pkg}@${version}"

    local actual
    actual="$(sri_sha512 "${dest}/${tgz}")"
    [[ "${actual}" == "${integrity}" ]] \
        || die "integrity mismatch for ${pkg}@${version}: expected ${integrity}, got ${actual}"

    tar -xzf "${dest}/${tgz}" -C "${dest}"
    local pkgdir="${dest}/package"
    local got_version
    got_version="$(node -p 'require(process.argv[1]).version' "${pkgdir}/package.json")"
    [[ "${got_version}" == "${version}" ]] \
        || die "${pkg}: tarball says version ${got_version}, expected ${version}"
    echo "${pkgdir}"
}

# copy_req <src> <dst>: copy a file that must exist and be non-empty.
copy_req() {
    [[ -s "$1" ]] || die "missing or empty file in package: $1"
    mkdir -p "$(dirname "$2")"
    cp "$1" "$2"
}

# copy_license <pkgdir> <dstdir>: copy the package's LICENSE* file(s).
copy_license() {
    local found=0 f
    for f in "$1"/LICENSE "$1"/LICENSE.* "$1"/LICENCE "$1"/LICENCE.* "$1"/license "$1"/license.*; do
        if [[ -f "$f" ]]; then
            cp "$f" "$2/"
            found=1
        fi
    done
    [[ "${found}" == 1 ]] || die "no LICENSE file found in $1"
}

BOOTSTRAP_PKG="$(fetch bootstrap "${BOOTSTRAP_VERSION}" "${BOOTSTRAP_INTEGRITY}")"
CHARTJS_PKG="$(fetch chart.js "${CHARTJS_VERSION}" "${CHARTJS_INTEGRITY}")"
ICONS_PKG="$(fetch bootstrap-icons "${BOOTSTRAP_ICONS_VERSION}" "${BOOTSTRAP_ICONS_INTEGRITY}")"
TOM_SELECT_PKG="$(fetch tom-select "${TOM_SELECT_VERSION}" "${TOM_SELECT_INTEGRITY}")"
AXE_CORE_PKG="$(fetch axe-core "${AXE_CORE_VERSION}" "${AXE_CORE_INTEGRITY}")"

# Start from a clean slate for the directories this script owns.
mkdir -p "${VENDOR_DIR}"
rm -rf "${VENDOR_DIR}/bootstrap" "${VENDOR_DIR}/chartjs" \
       "${VENDOR_DIR}/bootstrap-icons" "${VENDOR_DIR}/tom-select" "${VENDOR_DIR}/axe-core" \
       "${VENDOR_DIR}/VERSIONS.txt"

# --- Bootstrap ---------------------------------------------------------------
d="${VENDOR_DIR}/bootstrap"
mkdir -p "$d"
for f in css/bootstrap.min.css css/bootstrap.min.css.map \
         js/bootstrap.bundle.min.js js/bootstrap.bundle.min.js.map; do
    copy_req "${BOOTSTRAP_PKG}/dist/${f}" "$d/$(basename "$f")"
done
copy_license "${BOOTSTRAP_PKG}" "$d"

# --- Chart.js (UMD build) ----------------------------------------------------
d="${VENDOR_DIR}/chartjs"
mkdir -p "$d"
chart_js=""
for cand in chart.umd.min.js chart.umd.js; do
    if [[ -s "${CHARTJS_PKG}/dist/${cand}" ]]; then chart_js="${cand}"; break; fi
done
[[ -n "${chart_js}" ]] || die "chart.js@${CHARTJS_VERSION} ships no dist/chart.umd(.min).js"
copy_req "${CHARTJS_PKG}/dist/${chart_js}" "$d/${chart_js}"
if [[ -s "${CHARTJS_PKG}/dist/${chart_js}.map" ]]; then
    cp "${CHARTJS_PKG}/dist/${chart_js}.map" "$d/"
fi
copy_license "${CHARTJS_PKG}" "$d"

# --- Bootstrap Icons (web font) ----------------------------------------------
d="${VENDOR_DIR}/bootstrap-icons"
mkdir -p "$d/fonts"
icons_css=""
for cand in bootstrap-icons.min.css bootstrap-icons.css; do
    if [[ -s "${ICONS_PKG}/font/${cand}" ]]; then icons_css="${cand}"; break; fi
done
[[ -n "${icons_css}" ]] || die "bootstrap-icons@${BOOTSTRAP_ICONS_VERSION} ships no font/bootstrap-icons(.min).css"
copy_req "${ICONS_PKG}/font/${icons_css}" "$d/${icons_css}"
# The CSS references fonts/bootstrap-icons.woff2 and .woff relative to itself.
copy_req "${ICONS_PKG}/font/fonts/bootstrap-icons.woff2" "$d/fonts/bootstrap-icons.woff2"
copy_req "${ICONS_PKG}/font/fonts/bootstrap-icons.woff" "$d/fonts/bootstrap-icons.woff"
copy_license "${ICONS_PKG}" "$d"

# --- Tom Select (complete build + Bootstrap 5 theme) -------------------------
d="${VENDOR_DIR}/tom-select"
mkdir -p "$d"
for f in js/tom-select.complete.min.js css/tom-select.bootstrap5.min.css; do
    copy_req "${TOM_SELECT_PKG}/dist/${f}" "$d/$(basename "$f")"
    if [[ -s "${TOM_SELECT_PKG}/dist/${f}.map" ]]; then
        cp "${TOM_SELECT_PKG}/dist/${f}.map" "$d/"
    fi
done
copy_license "${TOM_SELECT_PKG}" "$d"

# --- axe-core (accessibility checks; injected by the browser tests, never served to a page) --------
d="${VENDOR_DIR}/axe-core"
mkdir -p "$d"
copy_req "${AXE_CORE_PKG}/axe.min.js" "$d/axe.min.js"
copy_license "${AXE_CORE_PKG}" "$d"

# --- VERSIONS.txt --------------------------------------------------------------
cat > "${VENDOR_DIR}/VERSIONS.txt" <<EOF
# Generated by scripts/vendor_static.sh from npm tarballs (npm pack). Do not edit by hand.
# package@version  tarball-integrity  ->  static/vendor/<dir>
bootstrap@${BOOTSTRAP_VERSION}  ${BOOTSTRAP_INTEGRITY}  ->  bootstrap/
chart.js@${CHARTJS_VERSION}  ${CHARTJS_INTEGRITY}  ->  chartjs/
bootstrap-icons@${BOOTSTRAP_ICONS_VERSION}  ${BOOTSTRAP_ICONS_INTEGRITY}  ->  bootstrap-icons/
tom-select@${TOM_SELECT_VERSION}  ${TOM_SELECT_INTEGRITY}  ->  tom-select/
axe-core@${AXE_CORE_VERSION}  ${AXE_CORE_INTEGRITY}  ->  axe-core/
EOF

# --- Verification --------------------------------------------------------------
log "verifying vendored files"
fail=0

# 1. Every vendored file is non-empty.
while IFS= read -r -d '' f; do
    if [[ ! -s "$f" ]]; then echo "  empty file: ${f#"${REPO_ROOT}/"}" >&2; fail=1; fi
done < <(find "${VENDOR_DIR}" -type f -print0)

# 2. No browser-loaded reference to an external URL in CSS/JS (source maps and
#    license comments are not loaded by the browser and are ignored).
#    - CSS: url(...) / @import pointing at http(s):// or protocol-relative //
#    - JS : sourceMappingURL pointing off-site, or literal script/link/src/href
#           attributes or import()/fetch() of an absolute URL
# refuse_external GLOB PATTERN SHOWN: files named GLOB must not match PATTERN; the first
# five matches of SHOWN (PATTERN with some context) are shown.
refuse_external() {
    local glob="$1" pat="$2" shown="$3" f
    while IFS= read -r -d '' f; do
        if grep -nEo "${pat}" "$f" >/dev/null; then
            echo "  external reference in ${f#"${REPO_ROOT}/"}:" >&2
            grep -nEo "${shown}" "$f" | head -5 >&2
            fail=1
        fi
    done < <(find "${VENDOR_DIR}" -type f -name "${glob}" -print0)
}
css_external="url\([[:space:]]*['\"]?(https?:)?//[^)]*\)|@import[^;]*"
refuse_external '*.css' "${css_external}" "${css_external}"
js_external="sourceMappingURL=[[:space:]]*(https?:)?//|(src|href)[[:space:]]*=[[:space:]]*['\"](https?:)?//|import\([[:space:]]*['\"](https?:)?//|fetch\([[:space:]]*['\"](https?:)?//"
refuse_external '*.js' "${js_external}" "${js_external}.{0,60}"

# 3. Relative references must resolve (source maps, icon fonts), otherwise the
#    browser gets a 404 and Django's ManifestStaticFilesStorage errors out.
while IFS= read -r -d '' f; do
    dir="$(dirname "$f")"
    while IFS= read -r ref; do
        [[ -z "${ref}" ]] && continue
        target="${ref%%[?#]*}"
        if [[ ! -s "${dir}/${target}" ]]; then
            echo "  ${f#"${REPO_ROOT}/"} references missing file: ${ref}" >&2
            fail=1
        fi
    done < <(
        { grep -oE 'sourceMappingURL=[^[:space:]*]+' "$f" | sed 's/^sourceMappingURL=//' || true
          grep -oE "url\([[:space:]]*['\"]?[^)'\"]+" "$f" | sed -E "s/^url\([[:space:]]*['\"]?//" \
              | grep -vE '^(data:|#|https?:|//)' || true
        }
    )
done < <(find "${VENDOR_DIR}" -type f \( -name '*.css' -o -name '*.js' \) -print0)

[[ "${fail}" == 0 ]] || die "verification failed (see above)"

log "done. Vendored:"
sed -n 's/^\([^#][^ ]*\).*/  \1/p' "${VENDOR_DIR}/VERSIONS.txt"
(cd "${REPO_ROOT}" && find static/vendor -type f | sort | while IFS= read -r f; do
    printf '  %8s  %s\n' "$(wc -c < "$f")" "$f"
done)
