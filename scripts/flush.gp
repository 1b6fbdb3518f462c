# The flush chart: how long making the dirty pages of a view durable takes,
# against how many pages are dirty, per operation (log-log); one panel per
# view size (columns) and folio kind (rows).
# Usage (scripts/plot-flush does this): gnuplot -c flush.gp DATADIR OUTFILE svg|png
# DATADIR holds grid.dat, title.dat and the p<N>_*.dat series, tab-separated,
# written by plot-flush; every text drawn from the results comes from those
# files as data.
datadir = ARG1
outfile = ARG2
if (ARG3 eq 'svg') {
    set terminal svg size 1600,1000 dynamic font 'Sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 1600,1000 font 'Sans,10' background rgb 'white'
}
set output outfile
set datafile separator "\t"
set datafile missing "NaN"
grid = datadir.'/grid.dat'
stats grid using 1 nooutput
nr = int(STATS_max)
stats grid using 2 nooutput
nc = int(STATS_max)

ops = "msync-sync msync-range msync-async unmap-close pwrite-fdatasync"
what = "'msync(MS_SYNC), whole view' 'msync(MS_SYNC), dirty range' 'msync(MS_ASYNC): schedules only' 'munmap + close + fdatasync' 'pwrite of the dirty pages + fdatasync'"
colors = "#1f4e79 #6fa8dc #999999 #b45f06 #38761d"
series(p, op, tag) = sprintf('%s/p%d_%s_%s.dat', datadir, p, op, tag)

set multiplot
# Header: title, the machine line (drawn as data) and the one legend.
set origin 0, 0.85
set size 1, 0.15
unset border
unset tics
set xrange [0:1]
set yrange [0:1]
set label 1 "mmbench flush: time until k dirty pages of a mapped file are durable (medians, log-log)" at graph 0.5, graph 0.9 center font ',15'
set key at graph 0.5, graph 0.25 center center horizontal maxrows 2 noenhanced font ',10' samplen 3 width 1 box
nan = datadir.'/nan.dat'
plot datadir.'/title.dat' using (0.5):(0.62):1 with labels noenhanced font ',10' notitle, \
     for [i = 1:words(ops)] nan using 1:2 with linespoints lc rgb word(colors, i) lw 2 pt 7 \
         ps 0.6 title word(what, i), \
     nan using 1:2 with lines lc rgb '#cc0000' dt 2 lw 2 \
         title 'save the whole data set (pwrite all + fdatasync)', \
     nan using 1:2 with points lc rgb 'black' pt 6 ps 1.2 title 'open circles: k pages at random'
unset label 1
unset key

set border 3
set xtics nomirror
set ytics nomirror
set logscale xy
set grid xtics ytics lc rgb '#dddddd'
set xrange [0.7:1e5]
set yrange [3e-4:500]
set format x '10^{%T}'
set ytics ('1 µs' 1e-3, '10 µs' 1e-2, '100 µs' 0.1, '1 ms' 1, '10 ms' 10, '100 ms' 100)
set xlabel 'dirty pages (4 KiB) the program wrote' font ',10'
set ylabel 'time to durable' font ',10'
h = 0.84 / nr
w = 1.0 / nc
do for [p = 0:nr * nc - 1] {
    set origin (p % nc) * w, 0.85 - (p / nc + 1) * h
    set size w, h
    plot for [i = 1:words(ops)] series(p, word(ops, i), 'seq') using 1:2 with linespoints \
             lc rgb word(colors, i) lw 2 pt 7 ps 0.6 notitle, \
         for [i = 1:words(ops)] series(p, word(ops, i), 'rnd') using 1:2 with points \
             lc rgb word(colors, i) pt 6 ps 1.2 notitle, \
         sprintf('%s/p%d_save.dat', datadir, p) using 1:2 with lines lc rgb '#cc0000' dt 2 lw 2 \
             notitle, \
         sprintf('%s/p%d_title.dat', datadir, p) using (1):(250):1 with labels left \
             noenhanced font ',11' notitle
}
unset multiplot
