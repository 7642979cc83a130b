/** A pet of the demo API. */
export interface Pet {
  id: string
  name: string
  species: string
  addedBy: string
}

/** In-memory pets (one store per app instance). */
export class PetStore {
  readonly #pets = new Map<string, Pet>()
  #next = 1

  constructor() {
    this.add('Rex', 'dog', 'seed')
    this.add('Tom', 'cat', 'seed')
  }

  list(): Pet[] {
    return [...this.#pets.values()]
  }

  get(id: string): Pet | undefined {
    return this.#pets.get(id)
  }

  add(name: string, species: string, addedBy: string): Pet {
    const pet = { id: String(this.#next++), name: name.slice(0, 100), species: species.slice(0, 100), addedBy }
    this.#pets.set(pet.id, pet)
    return pet
  }

  remove(id: string): boolean {
    return this.#pets.delete(id)
  }
}
