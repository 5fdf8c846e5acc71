package web

// russianNumbers are the Russian words of proposal numbers,
// sub-amendments and oral proposals (issue 21), one of russianBlocks.
var russianNumbers = map[string]string{
	"Amend":                          "Подпоправка",
	"Amends":                         "Изменяет",
	"Amend this proposal":            "Внести поправку к этому предложению",
	"Against the proposal it amends": "По сравнению с изменяемым предложением",
	"Sub-amendment":                  "Подпоправка",
	"A sub-amendment gives other texts to the provisions this proposal writes. It is compiled under the proposal, and merged together with it or not at all.": "Подпоправка предлагает иной текст положений, которые изменяет это предложение. В подборке она приводится под предложением и включается в текст только вместе с ним.",
	"Back to the proposal":                    "Вернуться к предложению",
	"Preview of your changes to the proposal": "Предварительный просмотр ваших изменений к предложению",
	"The texts the proposal gives":            "Текст, предлагаемый в предложении",
	"Submit sub-amendment":                    "Внести подпоправку",
	"This proposal writes no text to amend: it only deletes or moves provisions.": "Это предложение не содержит текста, к которому можно внести поправку: оно только исключает или переносит положения.",
	"only delegates of member delegations may amend proposals":                    "вносить поправки к предложениям могут только делегаты государств-членов",
}
