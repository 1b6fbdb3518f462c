# The faults chart: what one page fault costs, by kind, and how many faults
# the kernel took per page touched against the textbook count.
# Usage (scripts/plot-faults does this): gnuplot -c faults.gp DATADIR OUTFILE svg|png
# DATADIR holds kinds.dat and title.dat, tab-separated, written by
# plot-faults; every text drawn comes from those files as data.
datadir = ARG1
outfile = ARG2
if (ARG3 eq 'svg') {
    set terminal svg size 1400,950 dynamic font 'Sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 1400,950 font 'Sans,10' background rgb 'white'
}
set output outfile
set datafile separator "\t"
set datafile missing "NaN"
kinds = datadir.'/kinds.dat'
title = datadir.'/title.dat'
stats kinds using 1 nooutput
n = STATS_records
set xrange [-0.6:n - 0.4]

set multiplot
# Title and machine line, the latter drawn as data.
set origin 0, 0.92
set size 1, 0.08
unset border
unset tics
unset key
set xrange [0:1]
set yrange [0:1]
set label 1 "mmbench faults: the cost of a first-touch page fault, by kind (medians)" at graph 0.5, graph 0.75 center font ',15'
plot title using (0.5):(0.2):1 with labels noenhanced font ',10'
unset label 1

set border 3
set xtics nomirror noenhanced rotate by -20 font ',10'
set ytics nomirror
set grid ytics lc rgb '#dddddd'
set style fill solid 0.85 border -1
set boxwidth 0.34
set logscale y
set xrange [-0.6:n - 0.4]
set key top right opaque box

set origin 0, 0.47
set size 1, 0.45
set yrange [10:3e6]
set ytics ('10 ns' 10, '100 ns' 100, '1 µs' 1e3, '10 µs' 1e4, '100 µs' 1e5, '1 ms' 1e6)
set ylabel 'time'
set title 'time per fault, and per page touched (a fault that maps many pages costs more, each page less)'
plot kinds using ($1 - 0.18):3:xtic(2) with boxes lc rgb '#1f4e79' title 'ns per fault', \
     kinds using ($1 + 0.18):4 with boxes lc rgb '#9fc5e8' title 'ns per page touched', \
     kinds using ($1 - 0.18):($3 * 1.5):7 with labels noenhanced font ',9' notitle

set origin 0, 0
set size 1, 0.46
set yrange [1e-3:12]
set ytics ('1/512' 1.0/512, '1/64' 1.0/64, '1/16' 1.0/16, '1/4' 0.25, '1' 1, '2' 2)
set ylabel 'faults per page'
set title 'faults per page touched: counted by the kernel (getrusage) against the textbook expectation'
plot kinds using ($1 - 0.18):5:xtic(2) with boxes lc rgb '#b45f06' title 'counted', \
     kinds using ($1 + 0.18):6 with boxes lc rgb '#f6b26b' title 'expected (1 per page; fault-around 1/16; THP 1/512)', \
     kinds using ($1 - 0.18):($5 * 1.6):8 with labels noenhanced font ',9' notitle
unset multiplot
