# The growth chart: what growing a mapped file in steps costs, per strategy,
# against the final size of the file (log-log). Left: one step (median over
# the steps of a pass, and the slowest step as open circles); right: the
# whole growth, every step plus the finish (unmap, trim).
# Usage (scripts/plot-growth does this): gnuplot -c growth.gp DATADIR OUTFILE svg|png
# DATADIR holds title.dat, probe.dat and the step_/max_/total_<strategy>.dat
# series, tab-separated, written by plot-growth; every text drawn from the
# results comes from those files as data.
datadir = ARG1
outfile = ARG2
if (ARG3 eq 'svg') {
    set terminal svg size 1400,700 dynamic font 'Sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 1400,700 font 'Sans,10' background rgb 'white'
}
set output outfile
set datafile separator "\t"
set datafile missing "NaN"

strats = "mremap remap map-big-trim write"
what = "'ftruncate + mremap per step' 'ftruncate + munmap + mmap per step (Win32: a new, larger mapping)' 'map the file big once, write, unmap, trim' 'write() appends (no mapping)'"
colors = "#1f4e79 #6fa8dc #b45f06 #38761d"
series(kind, s) = sprintf('%s/%s_%s.dat', datadir, kind, s)

set multiplot
# Header: title, the machine line and the probe's outcome (drawn as data), the legend.
set origin 0, 0.78
set size 1, 0.22
unset border
unset tics
set xrange [0:1]
set yrange [0:1]
set label 1 "mmbench growth: growing a mapped file to its final size in steps (medians, log-log)" at graph 0.5, graph 0.92 center font ',15'
set key at graph 0.5, graph 0.12 center center horizontal maxrows 2 noenhanced font ',10' samplen 3 width 1 box
nan = datadir.'/nan.dat'
plot datadir.'/title.dat' using (0.5):(0.72):1 with labels noenhanced font ',10' notitle, \
     datadir.'/probe.dat' using (0.5):(0.52):1 with labels noenhanced font ',11' tc rgb '#990000' notitle, \
     for [i = 1:words(strats)] nan using 1:2 with linespoints lc rgb word(colors, i) lw 2 pt 7 \
         ps 0.7 title word(what, i), \
     nan using 1:2 with points lc rgb 'black' pt 6 ps 1.2 title 'open circles: the slowest step'
unset label 1
unset key

set border 3
set xtics nomirror
set ytics nomirror
set logscale xy
set grid xtics ytics lc rgb '#dddddd'
set xrange [0.04:400]
set autoscale y
set xtics ('64 KiB' 0.0625, '256 KiB' 0.25, '1 MiB' 1, '4 MiB' 4, '16 MiB' 16, '64 MiB' 64, '256 MiB' 256)
set xlabel 'final size of the file' font ',10'

set origin 0, 0
set size 0.5, 0.78
set ylabel 'one step (µs)' font ',10'
set title 'cost per step' font ',12'
plot for [i = 1:words(strats)] series('step', word(strats, i)) using 1:2 with linespoints \
         lc rgb word(colors, i) lw 2 pt 7 ps 0.7 notitle, \
     for [i = 1:words(strats)] series('max', word(strats, i)) using 1:2 with points \
         lc rgb word(colors, i) pt 6 ps 1.2 notitle

set origin 0.5, 0
set size 0.5, 0.78
set ylabel 'whole growth (ms)' font ',10'
set title 'cost in total (steps + unmap + trim)' font ',12'
plot for [i = 1:words(strats)] series('total', word(strats, i)) using 1:2 with linespoints \
         lc rgb word(colors, i) lw 2 pt 7 ps 0.7 notitle
unset multiplot
