package posteriordb_test

import (
	"fmt"

	"github.com/gostan/gostan/posteriordb"
)

// Score draws against a posterior's reference draws: the largest
// |mean - mean_ref| / sd_ref over the parameters, which Stan's tests want
// below 0.3. Here the draws are the reference's own first chain.
func ExampleReference_Score() {
	db, err := posteriordb.Open("../testdata/posteriordb")
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := db.Posterior("eight_schools-eight_schools_noncentered")
	if err != nil {
		fmt.Println(err)
		return
	}
	ref, err := db.Reference(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	draws := map[string][]float64{}
	for _, name := range ref.Names {
		draws[name] = ref.Split(name)[0]
	}
	maxErr, worst, err := ref.Score(draws)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d chains, %d columns; one chain's max err %.3f (%s) passes: %v\n", ref.Chains, len(ref.Names), maxErr, worst, maxErr < 0.3)
	// Output:
	// 10 chains, 10 columns; one chain's max err 0.048 (theta[6]) passes: true
}
