# The sweep chart: throughput against file size by method (copy and touch,
# sequential and random, cold and warm) next to the memory and device
# floors; faults per page of the mmap methods; storage bytes read per useful
# byte (readahead amplification).
# Usage (scripts/plot-sweep does this): gnuplot -c sweep.gp DATADIR OUTFILE svg|png
# DATADIR holds panel0..7.dat, panels.dat, faults.dat, amplification.dat and
# title.dat, tab-separated, written by plot-sweep; every text drawn comes
# from those files as data.
datadir = ARG1
outfile = ARG2
if (ARG3 eq 'svg') {
    set terminal svg size 1500,2300 dynamic font 'Sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 1500,2300 font 'Sans,10' background rgb 'white'
}
set output outfile
set datafile separator "\t"
set datafile missing "NaN"
panels = datadir.'/panels.dat'
title = datadir.'/title.dat'

# One colour and point per method column (2..15), the floors dashed.
array colour[14] = ['#1f77b4', '#17becf', '#7f7f7f', '#8c564b', '#d62728', '#ff7f0e', \
                    '#2ca02c', '#9467bd', '#e377c2', '#f0027f', '#bcbd22', '#6b6b00', \
                    '#00a087', '#004d40']
do for [i=1:14] {
    set linetype i lc rgb colour[i] lw 2 pt (i + 3) ps 0.8
}
set linetype 15 lc rgb 'black' lw 2 dt 2
set linetype 16 lc rgb '#555555' lw 2 dt 4

set multiplot
set origin 0, 0.965
set size 1, 0.035
unset border
unset tics
unset key
set xrange [0:1]
set yrange [0:1]
set label 1 "mmbench sweep: reading a file of each size by each method (medians)" at graph 0.5, graph 0.8 center font ',15'
plot title using (0.5):(0.15):1 with labels noenhanced font ',10'
unset label 1

set border 3
set tics nomirror
set grid xtics ytics lc rgb '#dddddd'
set logscale x 2
set logscale y
set xrange [3000:1.5*2**30]
set xtics ('4K' 4096, '16K' 16384, '64K' 65536, '256K' 262144, '1M' 2**20, '4M' 2**22, \
           '16M' 2**24, '64M' 2**26, '256M' 2**28, '1G' 2**30)
set xlabel 'file size (bytes)' offset 0, 0.5
set key bottom right font ',8' samplen 2 spacing 0.9 noenhanced maxrows 8 box
ph = 0.95 / 6.0

# Rows 1-4: throughput, cold left and warm right.
set yrange [5e-4:3000]
set ytics ('1 MiB/s' 2**-10, '10 MiB/s' 10*2**-10, '100 MiB/s' 100*2**-10, '1 GiB/s' 1, \
           '10 GiB/s' 10, '100 GiB/s' 100, '1 TiB/s' 1024)
set ylabel 'useful bytes per second' offset 1, 0
do for [n=0:7] {
    set origin (n % 2) * 0.5, 0.95 - (n / 2 + 1) * ph
    set size 0.5, ph
    f = sprintf('%s/panel%d.dat', datadir, n)
    plot for [i=2:17] f using 1:i with linespoints lt (i - 1) title columnhead(i), \
         panels every ::n::n using (4096):(1500):3 with labels left noenhanced font ',12' notitle
}

# Row 5: faults per page, mmap methods, sequential touch.
set origin 0, 0.95 - 5 * ph
set size 0.5, ph
set key top right
set yrange [1e-4:3]
set ytics ('1/4096' 1.0/4096, '1/512' 1.0/512, '1/64' 1.0/64, '1/8' 0.125, '1' 1)
set ylabel 'faults per page (major + minor)'
set title 'faults per page, sequential touch, cold' offset 0, -0.5
f = datadir.'/faults.dat'
plot for [i=2:7] f using 1:i with linespoints lt (i + 3) title columnhead(i)
set origin 0.5, 0.95 - 5 * ph
set title 'faults per page, sequential touch, warm'
plot for [i=8:13] f using 1:i with linespoints lt (i - 3) title columnhead(i)

# Row 6: storage bytes read per useful byte, cold.
set origin 0, 0.95 - 6 * ph
set yrange [0.05:100]
set ytics ('0.1' 0.1, '1' 1, '10' 10, '100' 100)
set ylabel 'storage bytes per useful byte'
set title 'read amplification, cold, random order (copy: lines; touch: dashed)'
f = datadir.'/amplification.dat'
plot for [i=2:15] f using 1:i with linespoints lt (i - 1) title columnhead(i), \
     for [i=16:29] f using 1:i with linespoints lt (i - 15) dt 2 notitle
set origin 0.5, 0.95 - 6 * ph
set title 'read amplification, cold, sequential copy'
plot for [i=30:43] f using 1:i with linespoints lt (i - 29) title columnhead(i)
unset multiplot
