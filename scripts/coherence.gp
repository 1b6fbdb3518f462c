# The coherence chart: how long after a write through one path to a file
# another path sees it, per pair of paths: median, 99th percentile and
# maximum over the writes of a pass (each the median over the passes), and
# the lowest of the passes' medians, on a log scale, with how many of the
# writes were seen.
# Usage (scripts/plot-coherence does this): gnuplot -c coherence.gp DATADIR OUTFILE svg|png
# DATADIR holds bars.dat (x, label, median, p99, max in ns, seen text, lowest
# pass median in ns or NaN) and
# title.dat, tab-separated, written by plot-coherence; every text drawn
# comes from those files as data.
datadir = ARG1
outfile = ARG2
if (ARG3 eq 'svg') {
    set terminal svg size 1200,700 dynamic font 'Sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 1200,700 font 'Sans,10' background rgb 'white'
}
set output outfile
set datafile separator "\t"
set datafile missing "NaN"
bars = datadir.'/bars.dat'
stats bars using 1 nooutput
n = int(STATS_max) + 1

set multiplot
set origin 0, 0.88
set size 1, 0.12
unset border
unset tics
unset key
set xrange [0:1]
set yrange [0:1]
set label 1 "mmbench coherence: time until a write through one path is seen through the other (each bar: median over the passes)" at graph 0.5, graph 0.75 center font ',14'
plot datadir.'/title.dat' using (0.5):(0.3):1 with labels noenhanced font ',10' notitle
unset label 1

set origin 0, 0
set size 1, 0.88
set border 3
set ytics nomirror
set xtics nomirror scale 0
set logscale y
set grid ytics lc rgb '#dddddd'
set xrange [-0.6:n - 0.4]
set yrange [10:1e10]
set ytics ('10 ns' 10, '100 ns' 100, '1 µs' 1e3, '10 µs' 1e4, '100 µs' 1e5, '1 ms' 1e6, \
           '10 ms' 1e7, '100 ms' 1e8, '1 s' 1e9)
set ylabel 'time from the start of the write until seen' font ',11'
set xlabel "best pass: the lowest of the passes' medians, where both sides had a CPU at once" font ',10'
set key at graph 0.5, graph 0.99 center top horizontal maxrows 1 noenhanced font ',11' samplen 2
set style fill solid 0.85 noborder
set boxwidth 0.19
plot bars using ($1 - 0.3):7:xtic(2) with boxes lc rgb '#38761d' \
         title 'best pass: median', \
     bars using ($1 - 0.1):3 with boxes lc rgb '#1f4e79' title 'median', \
     bars using ($1 + 0.1):4 with boxes lc rgb '#6fa8dc' title '99th percentile', \
     bars using ($1 + 0.3):5 with boxes lc rgb '#b45f06' title 'maximum', \
     bars using 1:(1e9):6 with labels noenhanced font ',10' notitle
unset multiplot
