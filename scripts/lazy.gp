# The lazy chart: how long a program waits for its first record, for 1% and
# for all of its records, when it reads the whole file into the heap first
# or maps it, against the file size.
# Usage (scripts/plot-lazy does this): gnuplot -c lazy.gp DATADIR OUTFILE svg|png
# DATADIR holds <order>-<k>.dat (size MiB, then heap cold, heap warm, map
# cold, map warm in ns), ranges.dat and title.dat, written by plot-lazy.
datadir = ARG1
outfile = ARG2
if (ARG3 eq 'svg') {
    set terminal svg size 1500,950 dynamic font 'Sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 1500,950 font 'Sans,10' background rgb 'white'
}
set output outfile
set datafile separator "\t"
set datafile missing "NaN"
stats datadir.'/ranges.dat' using 1 name 'X' nooutput
stats datadir.'/ranges.dat' using 2 name 'Y' nooutput
xlo = X_min; xhi = X_max; ylo = Y_min; yhi = Y_max

set multiplot
set origin 0, 0.92
set size 1, 0.08
unset border
unset tics
unset key
set xrange [0:1]
set yrange [0:1]
set label 1 "mmbench lazy (C2): time until a program can use its data file, read into the heap first or mapped" at graph 0.5, graph 0.75 center font ',15'
plot datadir.'/title.dat' using (0.5):(0.2):1 with labels noenhanced font ',10'
unset label 1

set border 3
set xtics nomirror
set ytics nomirror
set grid xtics ytics lc rgb '#dddddd'
set logscale xy
set xrange [xlo:xhi]
set yrange [ylo:yhi]
set format x '%g'
set xlabel 'file size (MiB)'
set ytics ('100 ns' 100, '1 µs' 1e3, '10 µs' 1e4, '100 µs' 1e5, '1 ms' 1e6, '10 ms' 1e7, '100 ms' 1e8, '1 s' 1e9, '10 s' 1e10)
set key top left font ',9' opaque box noenhanced
set style line 1 lc rgb '#990000' lw 2 pt 7 dt 1
set style line 2 lc rgb '#e06666' lw 2 pt 6 dt 2
set style line 3 lc rgb '#1f4e79' lw 2 pt 5 dt 1
set style line 4 lc rgb '#6fa8dc' lw 2 pt 4 dt 2
orders = 'sequential random'
whats = 'first 1% all'
do for [o = 1:2] {
    do for [k = 0:2] {
        set origin k / 3.0, (2 - o) * 0.46
        set size 1 / 3.0, 0.46
        set title sprintf('%s order: time to %s record%s', word(orders, o), \
                          word(whats, k + 1), k == 0 ? '' : 's')
        f = sprintf('%s/%s-%d.dat', datadir, word(orders, o), k)
        plot f using 1:2 with linespoints ls 1 title 'heap copy, cold', \
             f using 1:3 with linespoints ls 2 title 'heap copy, warm', \
             f using 1:4 with linespoints ls 3 title 'mapping, cold', \
             f using 1:5 with linespoints ls 4 title 'mapping, warm'
    }
}
unset multiplot
