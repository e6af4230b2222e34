# Sourced by the scripts: point POWERBALANCE_DATA at the shared data folder when it is unset.
# In this project's checkout layout the data sit beside the repository, in ../shared/data.
if [ -z "${POWERBALANCE_DATA:-}" ]; then
    _pb_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    if [ -d "$_pb_root/../shared/data/sipri" ]; then
        export POWERBALANCE_DATA="$(cd "$_pb_root/../shared/data" && pwd)"
    fi
fi
if [ -n "${POWERBALANCE_DATA:-}" ]; then
    echo "data: POWERBALANCE_DATA=$POWERBALANCE_DATA"
else
    echo "data: POWERBALANCE_DATA is not set and ../shared/data was not found;" \
         "set POWERBALANCE_DATA to the folder that holds sipri/, cow_nmc/, ..." >&2
fi
