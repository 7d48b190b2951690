// Package stancsv writes and reads Stan CSV files as CmdStan lays them
// out: '#' comment lines with the configuration, one header line of column
// names, a comment block with the adaptation results, the draws, and a
// footer with the elapsed times. ArviZ, cmdstanpy and R's posterior read
// this format.
package stancsv
