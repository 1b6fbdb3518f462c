# The cow chart: what a first write costs per page, by kind of view, against
# the view's size, and how many faults the kernel took per page written.
# Usage (scripts/plot-cow does this): gnuplot -c cow.gp DATADIR OUTFILE svg|png NKINDS
# DATADIR holds kind1.dat .. kindN.dat (size in MiB, ns per page, faults per
# page; the kind's label as the header of column 2) and title.dat (the
# machine line, then the kinds that did not run), tab-separated, written by
# plot-cow; every text drawn comes from those files as data.
datadir = ARG1
outfile = ARG2
nk = int(ARG4)
if (ARG3 eq 'svg') {
    set terminal svg size 1300,950 dynamic font 'Sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 1300,950 font 'Sans,10' background rgb 'white'
}
set output outfile
set datafile separator "\t"
set datafile missing "NaN"
file(i) = sprintf('%s/kind%d.dat', datadir, i)
title = datadir.'/title.dat'

set multiplot
# Title, machine line and the kinds that did not run, the last two as data.
set origin 0, 0.9
set size 1, 0.1
unset border
unset tics
unset key
set xrange [0:1]
set yrange [0:1]
set label 1 "mmbench cow: the first write to each page of a view, per page (medians)" at graph 0.5, graph 0.8 center font ',15'
plot title every ::0::0 using (0.5):(0.45):1 with labels noenhanced font ',10', \
     title every ::1::1 using (0.5):(0.1):1 with labels noenhanced font ',10' tc rgb '#555555'
unset label 1

set border 3
set xtics nomirror
set ytics nomirror
set grid xtics ytics lc rgb '#dddddd'
set logscale x 2
set autoscale x
set xlabel 'view size (MiB)'
set key outside right top noenhanced
set style data linespoints

set origin 0, 0.45
set size 1, 0.45
set logscale y
set autoscale y
set ylabel 'ns per page written (wall)'
set title 'time per page: a private write copies the page; a shared write and anonymous memory copy nothing'
plot for [i=1:nk] file(i) using 1:2 title columnheader(2) lw 2 pt 7

set origin 0, 0
set size 1, 0.45
set yrange [1.0/1024:2]
set ytics ('1/512' 1.0/512, '1/128' 1.0/128, '1/32' 1.0/32, '1/8' 0.125, '1/2' 0.5, '1' 1, '2' 2)
set ylabel 'faults per page'
set title 'faults per page written, counted (getrusage / PageFaultCount) against the model: 1 per page'
plot for [i=1:nk] file(i) using 1:3 title columnheader(2) lw 2 pt 7, \
     1 with lines dt 2 lc rgb '#888888' title 'expected: 1 per page'
unset multiplot
